"""An ASGI middleware that refuses request bodies over a size, before anything parses them.

A declared Content-Length over the cap is refused at once; otherwise the body
is read with a running count (chunked uploads declare no length) and refused
as soon as the count passes the cap. A body within the cap is handed on
whole, so the app downstream reads it as usual.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schema.core.http import error_response
from schema.core.negotiation import JSON, negotiate


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send, headers)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # The client went away: let the app see the disconnect.
                await self.app(scope, _replay(message, receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send, headers)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        whole: Message = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay(whole, receive), send)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[bytes, bytes]
    ) -> None:
        accept = headers.get(b"accept", b"").decode("latin-1")
        response = error_response(
            413,
            f"The request body is over {self.max_bytes // 1024} KB.",
            media_type=negotiate(accept) or JSON,
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def _replay(first: Message, receive: Receive) -> Receive:
    """A receive channel that yields `first`, then whatever the client sends next."""
    pending = [first]

    async def replayed() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replayed
