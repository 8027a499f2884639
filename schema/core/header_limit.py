"""Requests whose headers are too large are refused, however the app is served.

uvicorn's default HTTP parser (httptools) bounds neither one header nor
their sum: a 1 MiB `Authorization` header reached the app. Before anything
reads them, an HTTP request over the cap gets 431 (Request Header Fields
Too Large) and a WebSocket handshake over it is refused (uvicorn answers
403). The cap counts every name and value as received.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from schema.core.http import error_response
from schema.core.negotiation import JSON

# Browsers send a few KB (cookies included); a bearer token is far smaller.
MAX_HEADER_BYTES = 16 * 1024


class HeaderSizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_HEADER_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        size = sum(len(name) + len(value) for name, value in scope["headers"])
        if size <= self.max_bytes:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
        else:
            response = error_response(
                431,
                f"The request's headers are over {self.max_bytes // 1024} KB.",
                media_type=JSON,
                headers={"Connection": "close"},
            )
            await response(scope, receive, send)
