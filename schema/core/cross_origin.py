"""Cross-origin access from browsers: one list of origins, for HTTP and WebSocket alike.

`ALLOWED_ORIGINS` names the origins whose pages may call the API (a SPA on
`http://localhost:5173`, `https://app.example.org` calling
`https://api.example.org`), or `*` for any. Credentials are bearer tokens
that a page sends on purpose, never cookies a browser would add by itself,
so allowing an origin lets its pages do only what their own token allows.

- HTTP: Starlette's `CORSMiddleware` answers the preflight (with a
  `max-age`, so a browser asks once per ten minutes) and adds the headers
  to the answer, for a request whose `Origin` is allowed. Every other
  request passes by it untouched: one without `Origin` (not a browser, or
  a same-origin GET) costs a scan of its header names, and one from an
  origin not listed gets no CORS header at all (its preflight is an
  ordinary OPTIONS request, 405).
- WebSocket: browsers apply no CORS to a handshake, so the view checks its
  `Origin` against the same list (Strawberry's `allowed_origins`) and
  refuses the others with 403; a handshake without `Origin` (not a browser)
  or from the API's own origin always passes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.http.websocket_origin import normalize_origin

ANY_ORIGIN = "*"
# OPTIONS is the preflight itself: no request asks for it in one.
ALLOWED_METHODS = ("GET", "POST")
# Beyond the headers CORS allows anyway (Accept, Content-Type's simple
# values, ...): `Authorization` carries the bearer token, `Content-Type:
# application/json` is not a simple value. Apollo Client sends
# `apollographql-client-name`/`-version` when the app names itself, and
# clients set up for Apollo Server's CSRF prevention send
# `x-apollo-operation-name` or `apollo-require-preflight`: allowed, so that
# their preflight does not fail over a header this service ignores.
ALLOWED_HEADERS = (
    "authorization",
    "content-type",
    "apollographql-client-name",
    "apollographql-client-version",
    "x-apollo-operation-name",
    "apollo-require-preflight",
)
# A page's script reads only the response headers it is allowed to: a
# RATE_LIMITED answer's `Retry-After` is one it needs.
EXPOSED_HEADERS = ("retry-after",)
# Seconds a browser may keep a preflight's answer (Chromium keeps at most 7200).
PREFLIGHT_MAX_AGE = 600

_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*")


def origin_of(entry: str) -> str | None:
    """An origin as browsers send it (`scheme://host[:port]`), or None for anything else.

    Scheme and host are lower-cased and a default port dropped, as in the
    `Origin` header; a trailing `/` is allowed, a path, query or user is not.
    """
    entry = entry.strip()
    try:
        parts = urlsplit(entry)
    except ValueError:  # an unclosed IPv6 bracket, ...
        return None
    if not _SCHEME.fullmatch(parts.scheme.lower()):
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        return None
    return normalize_origin(entry)


def parse_allowed_origins(value: str) -> tuple[str, ...]:
    """The origins of a comma-separated list, or `("*",)`; ValueError says what is wrong."""
    entries = [entry.strip() for entry in value.split(",")]
    if entries == [""]:
        return ()
    if ANY_ORIGIN in entries:
        if len(entries) > 1:
            raise ValueError("`*` allows every origin: write it alone")
        return (ANY_ORIGIN,)
    origins = []
    for entry in entries:
        origin = origin_of(entry)
        if origin is None:
            raise ValueError(
                f"{entry!r} is not an origin: write scheme://host[:port] without a path,"
                " such as http://localhost:5173"
            )
        origins.append(origin)
    return tuple(dict.fromkeys(origins))


class CrossOrigin:
    """Starlette's CORSMiddleware for requests from the allowed origins; others pass by."""

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        self.app = app
        self.any_origin = ANY_ORIGIN in origins
        self.origins = frozenset(origin.encode("latin-1") for origin in origins)
        self.cors = CORSMiddleware(
            app,
            allow_origins=list(origins),
            allow_methods=ALLOWED_METHODS,
            allow_headers=ALLOWED_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            max_age=PREFLIGHT_MAX_AGE,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"origin":
                    if self.any_origin or value in self.origins:
                        await self.cors(scope, receive, send)
                        return
                    break
        await self.app(scope, receive, send)
