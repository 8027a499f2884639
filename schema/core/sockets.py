"""The WebSocket side of the view: sends that cannot hang forever, and ends that end.

A client that stops reading fills the socket's buffers until a send blocks
(uvicorn waits for its transport to drain, so the server buffers no more
than its high-water mark). Each send and each close gets `send_timeout`
seconds. Past that the server gives the client up: every operation of the
connection ends, the handler returns, and uvicorn closes the connection once
what is already buffered has gone out. A client that reads again gets every
message up to there and then the end of the connection, and resumes with
`after`; no task or queue of it stays behind.

The same holds when the server closes a connection itself (4403 from a
resolver, 4400 from the protocol, ...): from then on nothing more is sent on
it, the loop reading the client's messages stops at once (it does not wait
for the client's side of the closing handshake), and the handler's
`finally` ends every operation. An operation that closed its own socket just
returns.

Each message received is checked against `max_message_bytes` (1009 when over),
so the limit holds whatever the server's own frame limit is: `uvicorn app:app`
accepts 16 MiB frames by default.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Mapping
from json import JSONDecodeError
from typing import Any

from starlette.websockets import WebSocket, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import (
    NonJsonMessageReceived,
    NonTextMessageReceived,
    WebSocketDisconnected,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)

from schema.core.context import Context

logger = logging.getLogger("mentoring.sockets")

# The standard "try again later": too slow a reader, come back with `after`.
TRY_AGAIN_LATER = 1013
# The standard "message too big".
MESSAGE_TOO_BIG = 1009
# Where a connection's adapter is found from its WebSocket (its ASGI scope).
_ADAPTER = "mentoring.socket"


class BoundedSendAdapter(ASGIWebSocketAdapter):
    def __init__(self, view: Any, request: WebSocket, response: WebSocket) -> None:
        super().__init__(view, request, response)
        self.send_timeout: float = view.send_timeout
        self.max_message_bytes: int = view.max_message_bytes
        # Nothing more goes out: the server is closing the connection, or gave its client up.
        self.ended = False
        # The reading loop stops: the close is done, or the client given up.
        self._finished = False
        # The task reading the client's messages, while it waits for one.
        self._waiting_reader: asyncio.Task[Any] | None = None
        self._reader_stopped = False
        request.scope[_ADAPTER] = self

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        """The client's messages, decoded, until either side ends the connection."""
        while not self._finished and self.ws.application_state == WebSocketState.CONNECTED:
            message = await self._receive()
            if message is None or message["type"] == "websocket.disconnect":
                return
            text, data = message.get("text"), message.get("bytes")
            if _too_big(text if text is not None else data, self.max_message_bytes):
                await self.close(MESSAGE_TOO_BIG, "Message too big")
                return
            if text is None:
                raise NonTextMessageReceived
            try:
                decoded = self.view.decode_json(text)
            except JSONDecodeError as error:
                if not ignore_parsing_errors:
                    raise NonJsonMessageReceived from error
                continue
            yield decoded

    async def _receive(self) -> Mapping[str, Any] | None:
        """The next ASGI message; None when the server ended the connection meanwhile."""
        reader = asyncio.current_task()
        self._waiting_reader = reader
        try:
            return await self.ws.receive()
        except asyncio.CancelledError:
            # Stopped by `_finish` (and by nothing else): the connection is over.
            if self._reader_stopped and reader is not None and reader.uncancel() == 0:
                return None
            raise
        finally:
            self._waiting_reader = None

    def _finish(self) -> None:
        """The reading loop stops, also when it waits for the client's next message."""
        if self._finished:
            return
        self._finished = True
        reader = self._waiting_reader
        if reader is not None and reader is not asyncio.current_task():
            self._reader_stopped = True
            reader.cancel()

    async def send_json(self, message: Mapping[str, object]) -> None:
        if self.ended:
            raise WebSocketDisconnected
        try:
            async with asyncio.timeout(self.send_timeout):
                await super().send_json(message)
        except TimeoutError:
            # A close frame would wait behind the same full buffer: give up now.
            logger.info("dropping a WebSocket whose client stopped reading")
            self.ended = True
            self._finish()
            raise WebSocketDisconnected from None

    async def close(self, code: int, reason: str) -> None:
        if self.ended:
            return  # closed already (two operations may close at once), or given up
        self.ended = True
        try:
            async with asyncio.timeout(self.send_timeout):
                await super().close(code, reason)
        except TimeoutError:
            logger.info("dropping a WebSocket that took no close frame (%s)", code)
        finally:
            # Only now: the handler's end cancels every operation, this one too.
            self._finish()


def _too_big(payload: str | bytes | None, limit: int | None) -> bool:
    if payload is None or limit is None or len(payload) <= limit // 4:
        return False  # even four bytes a character would fit
    if isinstance(payload, bytes) or len(payload) > limit:
        return len(payload) > limit
    return len(payload.encode("utf-8", "surrogatepass")) > limit


async def close_socket(websocket: WebSocket, code: int, reason: str) -> None:
    """Close a connection from a resolver, bounded like every send on it.

    Once it returns, nothing more is sent on the connection and its handler
    ends every operation: the caller's operation should just return.
    """
    adapter = websocket.scope.get(_ADAPTER)
    if isinstance(adapter, BoundedSendAdapter):
        await adapter.close(code, reason)
    elif websocket.application_state == WebSocketState.CONNECTED:
        await websocket.close(code=code, reason=reason)


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's handler; its adapter ends its loop when the server ends the connection."""

    async def handle_task_exception(self, error: Exception) -> None:
        if isinstance(error, WebSocketDisconnected):
            return  # a client given up or gone: nothing went wrong here
        await super().handle_task_exception(error)
