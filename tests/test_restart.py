"""A restart keeps data and tokens; a first start needs no configuration at all."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import httpx

from app import Settings, create_app
from tests.servers import free_port, serving
from tests.support import FAST_HASHER, ROOT, Client, running


def _client(http: httpx.AsyncClient) -> Client:
    return Client(http=http)


async def test_data_and_tokens_survive_a_restart_with_a_generated_secret_key(
    tmp_path: Path,
) -> None:
    settings = Settings(
        database_url=f"sqlite://{tmp_path / 'data' / 'db.sqlite3'}", password_hasher=FAST_HASHER
    )
    first = create_app(settings)
    async with running(first):
        transport = httpx.ASGITransport(app=first)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            member = await _client(http).register("restart@example.org", "Rita")
            await member.op("SaveMenteeProfile", input={"headline": "Before the restart"})
    key_file = tmp_path / "data" / "secret_key"
    assert key_file.is_file()
    assert key_file.stat().st_mode & 0o077 == 0, "the key must be readable by its owner only"

    second = create_app(settings)
    async with running(second):
        transport = httpx.ASGITransport(app=second)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            again = Client(http=http, token=member.token)
            viewer = (await again.op("Viewer")).data["viewer"]

    assert viewer["email"] == "restart@example.org"
    assert viewer["menteeProfile"] is not None


def test_the_server_starts_with_no_configuration_at_all(tmp_path: Path) -> None:
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "BROADCAST_URL", "SECRET_KEY", "GRAPHIQL")
    }
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "-m", "app", "serve", "--port", str(port)]

    with serving(command, port=port, cwd=tmp_path, env=env) as base_url:
        reply = httpx.post(f"{base_url}/graphql", json={"query": "{ viewer { id } }"})

    assert reply.json() == {"data": {"viewer": None}}
    assert (tmp_path / "data" / "mentoring.sqlite3").is_file()
    assert (tmp_path / "data" / "secret_key").is_file()
