"""The typed per-request Context every resolver receives.

HTTP requests get a fresh Context each; a WebSocket keeps one for the whole
connection, so nothing here may cache data that can go stale across events
(the subscription code in `schema.messaging` gives each event fresh loaders).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import strawberry
from broadcaster import Broadcast
from starlette.requests import Request
from starlette.websockets import WebSocket

from orm.member_keys import MessageKeys
from orm.models import User
from resolvers.calendar_feed import CalendarFeeds
from resolvers.clock import Clock, system_clock
from resolvers.errors import Unauthenticated
from resolvers.lifecycle import Outbox
from resolvers.loaders import Loaders
from resolvers.passwords import Passwords
from resolvers.presence import Presence
from resolvers.ratelimit import RateLimiter
from resolvers.tokens import Authenticated, TokenIssuer
from schema.core.hub import BroadcastHub
from schema.core.persisted import PersistedDocuments


@dataclass(frozen=True)
class Services:
    """What lives as long as the process: built once in the app's lifespan."""

    tokens: TokenIssuer
    passwords: Passwords
    broadcast: Broadcast
    rate_limiter: RateLimiter
    message_keys: MessageKeys
    hub: BroadcastHub
    calendar_feeds: CalendarFeeds
    clock: Clock = system_clock
    # Notes who sent a request, for the unread-messages digest (None: nobody).
    presence: Presence | None = None
    # Documents sent by hash (automatic persisted queries), and the trusted ones.
    persisted: PersistedDocuments = field(default_factory=PersistedDocuments)


_NOT_YET = object()


@dataclass
class Context:
    services: Services
    request: Request | WebSocket | None = None
    # Filled by Strawberry from the graphql-transport-ws `connection_init` payload.
    connection_params: dict[str, Any] | None = None
    loaders: Loaders = field(default_factory=Loaders)
    # Relationship transitions committed while serving this request, for the
    # publisher of viewer events to send after commit (see resolvers.lifecycle).
    outbox: Outbox = field(default_factory=Outbox)
    _authenticated: Any = field(default=_NOT_YET, repr=False)

    @property
    def client_address(self) -> str:
        """The peer's IP address (a proxy's, unless uvicorn runs with --proxy-headers)."""
        client = self.request.client if self.request is not None else None
        return client.host if client is not None else "unknown"

    @property
    def authorization(self) -> str | None:
        if isinstance(self.request, Request):
            return self.request.headers.get("authorization")
        params = self.connection_params or {}
        value = params.get("authorization") or params.get("Authorization")
        return value if isinstance(value, str) else None

    async def authenticated(self) -> Authenticated | None:
        # HTTP: one check per request. WebSocket: checked anew for each
        # operation, so that a token revoked meanwhile stops working.
        if self._authenticated is _NOT_YET or not isinstance(self.request, Request):
            self._authenticated = await self.services.tokens.authenticate(self.authorization)
            if self._authenticated is not None and self.services.presence is not None:
                self.services.presence.seen(self._authenticated.user.id)
        result: Authenticated | None = self._authenticated
        return result

    def known_user_id(self) -> int | None:
        """The viewer's id if this request has already asked who it is; never a lookup."""
        authenticated = self._authenticated
        if isinstance(authenticated, Authenticated):
            return authenticated.user.id
        return None

    def known_viewer(self) -> User | None:
        """The viewer if this request (or socket) has been authenticated already; never waits."""
        if self._authenticated is _NOT_YET or self._authenticated is None:
            return None
        user: User = self._authenticated.user
        return user

    def now(self) -> datetime:
        return self.services.clock()

    async def viewer(self) -> User | None:
        authenticated = await self.authenticated()
        return authenticated.user if authenticated else None

    async def require_viewer(self) -> User:
        user = await self.viewer()
        if user is None:
            raise Unauthenticated()
        return user


Info = strawberry.Info[Context, None]
