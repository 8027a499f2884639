"""The language of the request, for the fields whose texts people read."""

from __future__ import annotations

from resolvers.language import Language, negotiate
from schema.core.context import Context


def request_language(context: Context) -> Language:
    """`Accept-Language` of the request (of the WebSocket's handshake for subscriptions).

    The viewer's own locale comes next once accounts have one; English until then.
    """
    headers = context.request.headers if context.request is not None else None
    return negotiate(headers.get("accept-language") if headers is not None else None)
