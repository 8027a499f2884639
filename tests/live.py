"""A uvicorn server in the test's event loop, and a graphql-transport-ws client."""

from __future__ import annotations

import asyncio
import json
import socket as sockets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
import websockets
from starlette.applications import Starlette
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from app import Settings, create_app
from schema.core.hub import BroadcastHub
from tests.servers import free_port
from tests.support import client_operations

PROTOCOL = "graphql-transport-ws"
# Generous bounds for waiting on the server; reaching one fails the test.
PATIENCE = 10.0


@dataclass
class LiveServer:
    app: Starlette
    port: int

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    @property
    def hub(self) -> BroadcastHub:
        hub: BroadcastHub = self.app.state.services.hub
        return hub


@asynccontextmanager
async def serve(settings: Settings) -> AsyncIterator[LiveServer]:
    app = create_app(settings)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the server did not start"
        await asyncio.sleep(0.01)
    try:
        yield LiveServer(app, port)
    finally:
        server.should_exit = True
        await task


class Closed(Exception):
    def __init__(self, code: int | None) -> None:
        super().__init__(f"closed with {code}")
        self.code = code


@dataclass
class Socket:
    """One graphql-transport-ws connection, as a client library would hold it."""

    connection: ClientConnection

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def init(self, token: str | None) -> None:
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await self.send({"type": "connection_init", "payload": payload})
        assert await self.receive() == {"type": "connection_ack"}

    async def subscribe(self, operation_id: str, name: str, **variables: Any) -> None:
        query = client_operations()[name]
        payload = {"query": query, "variables": variables, "operationName": name}
        await self.send({"id": operation_id, "type": "subscribe", "payload": payload})

    async def receive(self) -> dict[str, Any]:
        """The next message, answering the server's keep-alive pings on the way."""
        while True:
            try:
                raw = await asyncio.wait_for(self.connection.recv(), PATIENCE)
            except ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd else None
                raise Closed(code) from None
            message: dict[str, Any] = json.loads(raw)
            if message.get("type") == "ping":
                await self.send({"type": "pong"})
                continue
            return message

    async def next_data(self, operation_id: str) -> dict[str, Any]:
        message = await self.receive()
        assert message["type"] == "next", message
        assert message["id"] == operation_id, message
        assert "errors" not in message["payload"], message
        data: dict[str, Any] = message["payload"]["data"]
        return data

    async def close_code(self) -> int | None:
        """Wait until the server closes the connection; its close code."""
        try:
            message = await self.receive()
        except Closed as closed:
            return closed.code
        raise AssertionError(f"expected a close, got {message}")


@asynccontextmanager
async def connect(
    server: LiveServer, token: str | None = None, *, init: bool = True
) -> AsyncIterator[Socket]:
    async with websockets.connect(server.ws_url, subprotocols=[PROTOCOL]) as connection:  # type: ignore[list-item]
        socket = Socket(connection)
        if init:
            await socket.init(token)
        yield socket


# The stalled client's receive buffer: small, so that the server's sends
# back up after a few messages instead of after megabytes.
STALLED_RECEIVE_BUFFER = 4096


@asynccontextmanager
async def stalled(server: LiveServer, token: str) -> AsyncIterator[Socket]:
    """A signed-in connection whose client reads only when the test calls `receive`.

    The library keeps at most one frame waiting and then stops reading the
    socket, whose receive buffer is small: once the test stops calling
    `receive`, the server's sends to it back up, as to a stuck browser tab.
    Compression is off so that frames keep their size on the wire.
    """
    raw = sockets.socket(sockets.AF_INET, sockets.SOCK_STREAM)
    raw.setsockopt(sockets.SOL_SOCKET, sockets.SO_RCVBUF, STALLED_RECEIVE_BUFFER)
    raw.setblocking(False)
    await asyncio.get_running_loop().sock_connect(raw, ("127.0.0.1", server.port))
    async with websockets.connect(
        server.ws_url,
        subprotocols=[PROTOCOL],  # type: ignore[list-item]
        sock=raw,
        max_queue=1,
        compression=None,
        ping_interval=None,
    ) as connection:
        socket = Socket(connection)
        await socket.init(token)
        yield socket
