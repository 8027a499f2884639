"""Real servers for the browser tests: uvicorn in a subprocess on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from orm.seed import DEMO_PASSWORD
from tests.support import ROOT, contract_operations


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(module: str, directory: Path, *args: str) -> Iterator[str]:
    """`python -m <module> ... --port P` on a temp database; yields its base URL."""
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
    log = directory / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", module, *args, "--port", str(port)],
            cwd=directory,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def run(base: str, name: str, token: str | None = None, **variables: Any) -> Any:
    """One of the contract's operations over plain HTTP, as a second client would."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    reply = httpx.post(
        f"{base}/graphql",
        json={"query": contract_operations()[name], "variables": variables},
        headers=headers,
    )
    body = reply.json()
    assert not body.get("errors"), body
    return body["data"]


def login(base: str, email: str, password: str = DEMO_PASSWORD) -> str:
    token: str = run(base, "Login", email=email, password=password)["login"]["token"]
    return token
