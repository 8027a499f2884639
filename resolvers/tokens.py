"""Bearer tokens: signed, expiring, and backed by a revocable session row.

The signature and expiry are checked without I/O; the session row (one
primary-key lookup) makes `logout` hold at once on every process that shares
the database, and lets tokens survive a restart.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import jwt

from orm import accounts as account_rows
from orm.models import Session, User

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


@dataclass(frozen=True)
class Authenticated:
    user: User
    session_id: str


class TokenIssuer:
    def __init__(self, secret_key: str, ttl: timedelta = DEFAULT_TOKEN_TTL) -> None:
        self._secret_key = secret_key
        self.ttl = ttl
        self._verified = lru_cache(maxsize=VERIFIED_TOKENS_KEPT)(self._verify)

    def encode(self, session: Session) -> str:
        payload = {
            "sub": str(session.user_id),
            "sid": session.id,
            "iat": int(session.created_at.timestamp()),
            "exp": int(session.expires_at.timestamp()),
        }
        return jwt.encode(payload, self._secret_key, algorithm=ALGORITHM)

    def decode(self, token: str) -> TokenClaims | None:
        """The claims of a well-signed, unexpired token, else None."""
        verified = self._verified(token)
        if verified is None or verified.expires_at <= time.time():
            return None
        return verified.claims

    def _verify(self, token: str) -> _Verified | None:
        try:
            payload = jwt.decode(
                token,
                self._secret_key,
                algorithms=[ALGORITHM],
                options={"require": ["sub", "sid", "exp"]},
            )
            claims = TokenClaims(session_id=str(payload["sid"]), user_id=int(payload["sub"]))
            return _Verified(claims, float(payload["exp"]))
        except (jwt.InvalidTokenError, ValueError, TypeError):
            return None

    async def issue(self, user: User) -> str:
        now = datetime.now(UTC)
        session = await account_rows.create_session(
            user, secrets.token_urlsafe(32), expires_at=now + self.ttl
        )
        return self.encode(session)

    async def authenticate(self, authorization: str | None) -> Authenticated | None:
        """The user behind an `Authorization: Bearer <token>` value, if still valid."""
        token = bearer_token(authorization)
        if token is None:
            return None
        claims = self.decode(token)
        if claims is None:
            return None
        user = await account_rows.live_session_user(
            claims.session_id, claims.user_id, datetime.now(UTC)
        )
        if user is None:
            return None
        return Authenticated(user=user, session_id=claims.session_id)


async def still_valid(signed_in: Authenticated) -> bool:
    """Whether the session is still live (not revoked, not expired)."""
    user = await account_rows.live_session_user(
        signed_in.session_id, signed_in.user.id, datetime.now(UTC)
    )
    return user is not None


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
