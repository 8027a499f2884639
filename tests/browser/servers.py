"""Real servers for the browser tests: uvicorn in a subprocess on a free port."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from orm.seed import DEMO_PASSWORD
from tests.servers import free_port
from tests.servers import serving as serving_command
from tests.support import ROOT, client_operations


@contextmanager
def serving(
    module: str, directory: Path, *args: str, settings: Mapping[str, str] | None = None
) -> Iterator[str]:
    """`python -m <module> ... --port P` on a temp database; yields its base URL.

    `settings` adds to the environment the server starts with.
    """
    port = free_port()
    directory.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite://{directory / 'browser.sqlite3'}",
        "SECRET_KEY": "browser-tests-secret-key-long-enough-for-hs256",
        "GRAPHIQL": "true",
    }
    env.pop("BROADCAST_URL", None)
    env.update(settings or {})
    command = [sys.executable, "-m", module, *args, "--port", str(port)]
    with serving_command(command, port=port, cwd=directory, env=env) as base:
        yield base


def run(base: str, name: str, token: str | None = None, **variables: Any) -> Any:
    """One of the contract's operations over plain HTTP, as a second client would."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    reply = httpx.post(
        f"{base}/graphql",
        json={"query": client_operations()[name], "variables": variables},
        headers=headers,
    )
    body = reply.json()
    assert not body.get("errors"), body
    return body["data"]


def login(base: str, email: str, password: str = DEMO_PASSWORD) -> str:
    token: str = run(base, "Login", email=email, password=password)["login"]["token"]
    return token
