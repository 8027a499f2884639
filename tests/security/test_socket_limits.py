"""WebSocket limits that hold however the app is served.

- A message over the body limit (`MAX_BODY_BYTES`) closes the connection
  with 1009, also under a uvicorn with its default 16 MiB frame limit (as
  `uvicorn app:app` runs it).
- One client address holds at most `max_websockets_per_address` connections
  at once; one more is closed with 1013 "Too many connections", and a
  connection that ends frees its place.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from app import Settings
from schema.core.limits import MAX_BODY_BYTES
from tests.live import Closed, LiveServer, Socket, connect, serve
from tests.support import NoRateLimits, settings_for

MESSAGE_TOO_BIG = 1009
TRY_AGAIN_LATER = 1013
PER_ADDRESS = 3


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(
        tmp_path, rate_limiter=NoRateLimits(), max_websockets_per_address=PER_ADDRESS
    )


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


async def test_one_address_holds_a_bounded_number_of_connections(server: LiveServer) -> None:
    async with AsyncExitStack() as held:
        sockets = [await held.enter_async_context(connect(server)) for _ in range(PER_ADDRESS)]

        async with connect(server, init=False) as refused:
            assert await refused.close_code() == TRY_AGAIN_LATER
            assert refused.connection.close_reason == "Too many connections"

        # The connections held still work.
        for socket in sockets:
            await socket.send({"type": "ping"})
            assert await socket.receive() == {"type": "pong"}

        # Closing one frees its place.
        await sockets.pop().connection.close()
        admitted = await until_admitted(server, held)
        await admitted.send({"type": "ping"})
        assert await admitted.receive() == {"type": "pong"}

        async with connect(server, init=False) as refused:
            assert await refused.close_code() == TRY_AGAIN_LATER


async def until_admitted(server: LiveServer, held: AsyncExitStack) -> Socket:
    """A new connection, once the server has let the closed one go."""
    for _ in range(500):
        async with AsyncExitStack() as attempt:
            socket = await attempt.enter_async_context(connect(server, init=False))
            try:
                await socket.init(None)
            except Closed:
                await asyncio.sleep(0.01)
                continue
            held.push_async_exit(attempt.pop_all())
            return socket
    raise AssertionError("the closed connection's place was never freed")


def test_the_cap_comes_from_the_environment() -> None:
    assert Settings.from_env({}).max_websockets_per_address == 20
    configured = Settings.from_env({"MAX_WEBSOCKETS_PER_ADDRESS": "5"})
    assert configured.max_websockets_per_address == 5
    with pytest.raises(ValueError, match="MAX_WEBSOCKETS_PER_ADDRESS"):
        Settings.from_env({"MAX_WEBSOCKETS_PER_ADDRESS": "many"})
