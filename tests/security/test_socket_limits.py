"""WebSocket limits that hold however the app is served.

- A message over the body limit (`MAX_BODY_BYTES`) closes the connection
  with 1009, also under a uvicorn with its default 16 MiB frame limit (as
  `uvicorn app:app` runs it).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app import Settings
from schema.limits import MAX_BODY_BYTES
from tests.messaging.live import Closed, LiveServer, connect, serve
from tests.support import NoRateLimits, settings_for

MESSAGE_TOO_BIG = 1009


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path, rate_limiter=NoRateLimits())


@pytest.fixture
async def server(settings: Settings) -> AsyncIterator[LiveServer]:
    # uvicorn with its defaults: it would take frames of up to 16 MiB.
    async with serve(settings) as running:
        yield running


async def test_a_message_over_the_limit_closes_the_socket_with_1009(server: LiveServer) -> None:
    async with connect(server) as socket:
        padding = "x" * (200 * 1024)
        await socket.send({"type": "ping", "payload": {"padding": padding}})
        with pytest.raises(Closed) as closed:
            await socket.receive()
        assert closed.value.code == MESSAGE_TOO_BIG
        assert socket.connection.close_reason == "Message too big"


async def test_a_message_within_the_limit_is_served(server: LiveServer) -> None:
    async with connect(server) as socket:
        # Multi-byte characters: the limit counts bytes, and this fits.
        padding = "é" * ((MAX_BODY_BYTES - 1024) // 2)
        ping = {"type": "ping", "payload": {"padding": padding}}
        await socket.connection.send(json.dumps(ping, ensure_ascii=False))
        assert await socket.receive() == {"type": "pong"}


async def test_a_binary_message_over_the_limit_closes_with_1009(server: LiveServer) -> None:
    async with connect(server) as socket:
        await socket.connection.send(b"x" * (MAX_BODY_BYTES + 1))
        assert await socket.close_code() == MESSAGE_TOO_BIG
