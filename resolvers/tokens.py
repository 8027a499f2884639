"""Bearer tokens: signed, expiring, and backed by a revocable session row.

The signature and expiry are checked without I/O, expiry against the
issuer's clock (the service's one clock, `resolvers.clock`); the session row (one
primary-key lookup) makes `logout` hold at once on every process that shares
the database, and lets tokens survive a restart.

A bearer value is attacker-controlled text of any length (an HTTP header, a
`connection_init` payload): one longer than `MAX_TOKEN_LENGTH` is no token
and is refused before it is parsed, verified or remembered, and verified
tokens are remembered by a fixed-size digest, so that the cache of
verifications holds bounded memory whatever clients send.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from orm import accounts as account_rows
from orm.models import Session, User
from resolvers.clock import Clock, system_clock

ALGORITHM = "HS256"
DEFAULT_TOKEN_TTL = timedelta(days=30)


@dataclass(frozen=True)
class TokenClaims:
    session_id: str
    user_id: int


@dataclass(frozen=True)
class _Verified:
    claims: TokenClaims
    expires_at: float  # the `exp` claim: a cached verification still expires


# Verified tokens remembered per issuer: an SPA sends the same token with
# every request, and checking its signature cost more than some whole
# queries. Expiry is checked on each use; revocation by the session row.
VERIFIED_TOKENS_KEPT = 4096
# The tokens issued here have a few hundred characters; a longer bearer
# value is refused unread. (HTTP headers and WebSocket frames have their own,
# larger caps; this one keeps long values out of parsing and the cache.)
MAX_TOKEN_LENGTH = 4096
# "Bearer", a space, the token, and some surrounding whitespace.
MAX_AUTHORIZATION_LENGTH = MAX_TOKEN_LENGTH + 64


@dataclass(frozen=True)
class Authenticated:
    user: User
    session_id: str
    # The token's `exp` claim (seconds since the epoch): live streams end then.
    expires_at: float


def _digest(token: str) -> bytes:
    """What the cache of verifications is keyed by: 32 bytes, whatever the token."""
    return hashlib.blake2b(token.encode("utf-8", "surrogatepass"), digest_size=32).digest()


class _VerifiedTokens:
    """The last `capacity` verifications, by token digest (least recently used first out)."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[bytes, _Verified | None] = OrderedDict()

    def get(self, key: bytes) -> tuple[bool, _Verified | None]:
        if key not in self._entries:
            return False, None
        self._entries.move_to_end(key)
        return True, self._entries[key]

    def put(self, key: bytes, verified: _Verified | None) -> None:
        self._entries[key] = verified
        self._entries.move_to_end(key)
        while len(self._entries) > self._capacity:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class TokenIssuer:
    def __init__(
        self, secret_key: str, ttl: timedelta = DEFAULT_TOKEN_TTL, clock: Clock = system_clock
    ) -> None:
        self._secret_key = secret_key
        self.ttl = ttl
        self.clock = clock
        self._cache = _VerifiedTokens(VERIFIED_TOKENS_KEPT)

    def encode(self, session: Session) -> str:
        payload = {
            "sub": str(session.user_id),
            "sid": session.id,
            "iat": int(session.created_at.timestamp()),
            # To the millisecond (a JWT NumericDate may have a fraction), so
            # that the token ends with its session, not up to a second before.
            "exp": round(session.expires_at.timestamp(), 3),
        }
        return jwt.encode(payload, self._secret_key, algorithm=ALGORITHM)

    def decode(self, token: str) -> TokenClaims | None:
        """The claims of a well-signed, unexpired token, else None."""
        verified = self._verified(token)
        return verified.claims if verified is not None else None

    def remembered(self) -> int:
        """How many verifications the cache holds (at most VERIFIED_TOKENS_KEPT)."""
        return len(self._cache)

    def _verified(self, token: str) -> _Verified | None:
        if len(token) > MAX_TOKEN_LENGTH:
            return None
        key = _digest(token)
        known, verified = self._cache.get(key)
        if not known:
            verified = self._verify(token)
            self._cache.put(key, verified)
        if verified is None or verified.expires_at <= self.clock().timestamp():
            return None
        return verified

    def _verify(self, token: str) -> _Verified | None:
        try:
            payload = jwt.decode(
                token,
                self._secret_key,
                algorithms=[ALGORITHM],
                # `exp` is checked here, to its fraction (PyJWT would round it
                # down), and again on every use of a remembered verification.
                options={"require": ["sub", "sid", "exp"], "verify_exp": False},
            )
            claims = TokenClaims(session_id=str(payload["sid"]), user_id=int(payload["sub"]))
            expires_at = float(payload["exp"])
        except (jwt.InvalidTokenError, ValueError, TypeError, OverflowError):
            return None
        if not math.isfinite(expires_at):
            return None
        return _Verified(claims, expires_at)

    async def issue(self, user: User) -> str:
        now = self.clock()
        session = await account_rows.create_session(
            user, secrets.token_urlsafe(32), created_at=now, expires_at=now + self.ttl
        )
        return self.encode(session)

    async def authenticate(self, authorization: str | None) -> Authenticated | None:
        """The user behind an `Authorization: Bearer <token>` value, if still valid."""
        token = bearer_token(authorization)
        if token is None:
            return None
        verified = self._verified(token)
        if verified is None:
            return None
        claims = verified.claims
        user = await account_rows.live_session_user(claims.session_id, claims.user_id, self.clock())
        if user is None:
            return None
        return Authenticated(user, claims.session_id, expires_at=verified.expires_at)


async def still_valid(signed_in: Authenticated, now: datetime) -> bool:
    """Whether the session is still live (not revoked, not expired) at `now`."""
    user = await account_rows.live_session_user(signed_in.session_id, signed_in.user.id, now)
    return user is not None


def bearer_token(authorization: str | None) -> str | None:
    """The token of a `Bearer <token>` value; None for anything else, an over-long value too."""
    if not authorization or len(authorization) > MAX_AUTHORIZATION_LENGTH:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return token
