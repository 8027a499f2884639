"""Security headers on every answer, and a Content-Security-Policy fitted to each page.

Every response says `X-Content-Type-Options: nosniff` and
`Referrer-Policy: no-referrer` (a page's URL can carry an operation). HTML
pages also get `X-Frame-Options: DENY` and a policy that allows what the
page loads and nothing else: scripts only from this origin (no inline
script, no eval), connections (HTTP and WebSocket) only to it, no framing,
no `<base>`, and no form that submits by itself (a sign-in form without its
script would put the password in a URL). Any other answer gets a policy that
allows nothing, should a browser ever render one.

GraphiQL's editor (Monaco) adds `<style>` elements at run time and offers
no nonce for them, so its page allows inline styles (never inline scripts);
its language services run in workers loaded from this origin, and its
stylesheet embeds its fonts and icons as `data:` URLs.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_LOCKED = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
NOTHING_POLICY = "default-src 'none'; frame-ancestors 'none'"
DEMO_POLICY = (
    f"{_LOCKED}; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"
)
# The unsubscribe page: no script at all, its own inline style, and a form
# that posts back to this origin.
UNSUBSCRIBE_POLICY = (
    "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none';"
    " style-src 'unsafe-inline'"
)
GRAPHIQL_POLICY = (
    f"{_LOCKED}; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline';"
    " font-src 'self' data:; img-src 'self' data:; connect-src 'self'"
)

_EVERY_RESPONSE = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


def _headers(policy: str, *more: tuple[bytes, bytes]) -> list[tuple[bytes, bytes]]:
    return [*_EVERY_RESPONSE, (b"content-security-policy", policy.encode("latin-1")), *more]


# Encoded once: every response adds one of these lists as it is.
_NOT_HTML = _headers(NOTHING_POLICY)
_DEMO_PAGE = _headers(DEMO_POLICY, (b"x-frame-options", b"DENY"))
_GRAPHIQL_PAGE = _headers(GRAPHIQL_POLICY, (b"x-frame-options", b"DENY"))
_UNSUBSCRIBE_PAGE = _headers(UNSUBSCRIBE_POLICY, (b"x-frame-options", b"DENY"))


def _added(path: str, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    is_html = any(
        name.lower() == b"content-type" and value.startswith(b"text/html")
        for name, value in headers
    )
    if not is_html:
        return _NOT_HTML
    if path == "/unsubscribe":
        return _UNSUBSCRIBE_PAGE
    return _GRAPHIQL_PAGE if path == "/graphql" else _DEMO_PAGE


class SecurityHeaders:
    """Adds the headers above to every HTTP response the app sends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                message = {**message, "headers": headers + _added(path, headers)}
            await send(message)

        await self.app(scope, receive, send_with_headers)
