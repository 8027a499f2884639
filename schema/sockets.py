"""The WebSocket side of the view: sends that cannot hang forever.

A client that stops reading fills the socket's buffers until a send blocks.
Each send gets `send_timeout` seconds; past that the connection is dropped
(the client resumes with `after`), so a slow reader holds neither a task
nor a growing queue on the server.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from graphql import GraphQLError
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


class BoundedSendAdapter(ASGIWebSocketAdapter):
    async def send_json(self, message: Mapping[str, object]) -> None:
        timeout: float = getattr(self.view, "send_timeout", 10.0)
        try:
            await asyncio.wait_for(super().send_json(message), timeout)
        except TimeoutError:
            logger.info("closing a WebSocket whose client stopped reading")
            # The close frame may not get through a full buffer either: bounded too.
            try:
                await asyncio.wait_for(
                    self.ws.close(code=TRY_AGAIN_LATER, reason="Too slow"), timeout
                )
            except Exception:
                logger.debug("the close frame did not get through")
            raise WebSocketDisconnected from None


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's handler, answering a refusal raised by an extension as an error.

    The query limits (`schema.limits`) refuse an operation by raising from
    their hooks. Over HTTP that becomes an error response; on a stream,
    Strawberry would log it as a crash and complete silently. Here the
    client gets the `error` message, with its QUERY_TOO_COMPLEX code.
    """

    async def _send_result_stream(
        self, operation: Operation[Context, None], result_source: StreamResult
    ) -> None:
        try:
            await super()._send_result_stream(operation, result_source)
        except GraphQLError as error:
            errors = [error]
            self.schema.process_errors(errors)
            await operation.send_initial_errors(errors)
