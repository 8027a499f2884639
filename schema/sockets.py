"""The WebSocket side of the view: sends that cannot hang forever.

A client that stops reading fills the socket's buffers until a send blocks
(uvicorn waits for its transport to drain, so the server buffers no more
than its high-water mark). Each send and each close gets `send_timeout`
seconds. Past that the server gives the client up: every operation of the
connection ends, the handler returns, and uvicorn closes the connection once
what is already buffered has gone out. A client that reads again gets every
message up to there and then the end of the connection, and resumes with
`after`; no task or queue of it stays behind.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError
from starlette.websockets import WebSocket
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.schema.schema import StreamResult
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)

from schema.context import Context

logger = logging.getLogger("mentoring.sockets")

# The standard "try again later": too slow a reader, come back with `after`.
TRY_AGAIN_LATER = 1013
# Where a connection's adapter is found from its WebSocket (its ASGI scope).
_ADAPTER = "mentoring.socket"


class BoundedSendAdapter(ASGIWebSocketAdapter):
    def __init__(self, view: Any, request: WebSocket, response: WebSocket) -> None:
        super().__init__(view, request, response)
        self.send_timeout: float = getattr(view, "send_timeout", 10.0)
        self.given_up = asyncio.Event()
        request.scope[_ADAPTER] = self

    async def send_json(self, message: Mapping[str, object]) -> None:
        if self.given_up.is_set():
            raise WebSocketDisconnected
        try:
            await asyncio.wait_for(super().send_json(message), self.send_timeout)
        except TimeoutError:
            # A close frame would wait behind the same full buffer: give up now.
            logger.info("dropping a WebSocket whose client stopped reading")
            self.given_up.set()
            raise WebSocketDisconnected from None

    async def close(self, code: int, reason: str) -> None:
        if self.given_up.is_set():
            return
        try:
            await asyncio.wait_for(super().close(code, reason), self.send_timeout)
        except TimeoutError:
            logger.info("dropping a WebSocket that took no close frame (%s)", code)
            self.given_up.set()


async def close_socket(websocket: WebSocket, code: int, reason: str) -> None:
    """Close a connection from a resolver, bounded like every send on it."""
    adapter = websocket.scope.get(_ADAPTER)
    if isinstance(adapter, BoundedSendAdapter):
        await adapter.close(code, reason)
    else:
        await websocket.close(code=code, reason=reason)


class _Stopper:
    """Cancels the task serving a connection once its client is given up."""

    def __init__(self, serving: asyncio.Task[Any]) -> None:
        self.serving = serving
        self.running = True
        self.stopped = False

    async def stop_when(self, given_up: asyncio.Event) -> None:
        await given_up.wait()
        if self.running:
            self.stopped = True
            self.serving.cancel()


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's handler, ending the connection when its client is given up.

    Also: the query limits (`schema.limits`) refuse an operation by raising
    from their hooks. Over HTTP that becomes an error response; on a stream,
    Strawberry would log it as a crash and complete silently. Here the
    client gets the `error` message, with its QUERY_TOO_COMPLEX code.
    """

    async def handle(self) -> None:
        adapter = self.websocket
        serving = asyncio.current_task()
        if not isinstance(adapter, BoundedSendAdapter) or serving is None:
            await super().handle()
            return
        # Strawberry's loop waits for the client's next message, which a
        # client that stopped reading may never send: stop it from here.
        stopper = _Stopper(serving)
        watching = asyncio.create_task(stopper.stop_when(adapter.given_up))
        try:
            await super().handle()  # its own `finally` ends every operation
        except asyncio.CancelledError:
            if not stopper.stopped:
                raise
        finally:
            stopper.running = False
            watching.cancel()
            if stopper.stopped:
                serving.uncancel()

    async def handle_task_exception(self, error: Exception) -> None:
        if isinstance(error, WebSocketDisconnected):
            return  # a client given up or gone: nothing went wrong here
        await super().handle_task_exception(error)

    async def _send_result_stream(
        self, operation: Operation[Context, None], result_source: StreamResult
    ) -> None:
        try:
            await super()._send_result_stream(operation, result_source)
        except GraphQLError as error:
            errors = [error]
            self.schema.process_errors(errors)
            await operation.send_initial_errors(errors)
