"""Accounts: registering, signing in and out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from orm import accounts as account_rows
from orm.models import User
from resolvers import events, validation
from resolvers.errors import BadUserInput, Conflict, Unauthenticated
from resolvers.live import Hub
from resolvers.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, Passwords
from resolvers.ratelimit import POLICIES, RateLimiter
from resolvers.tokens import Authenticated, TokenIssuer

MAX_DISPLAY_NAME_LENGTH = 100


@dataclass(frozen=True)
class SignedIn:
    token: str
    user: User


def _check_password(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise BadUserInput(
            "password",
            f"must have {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters.",
        )
    if "\x00" in password:
        raise BadUserInput("password", "contains a NUL character.")
    return password


async def register(
    passwords: Passwords,
    tokens: TokenIssuer,
    limiter: RateLimiter,
    *,
    email: str,
    password: str,
    display_name: str,
    client_address: str,
) -> SignedIn:
    await limiter.hit(POLICIES.register_per_address, client_address)
    address = validation.email("email", email)
    name = validation.required_text("displayName", display_name, max_length=MAX_DISPLAY_NAME_LENGTH)
    secret = _check_password(password)
    password_hash = await passwords.hash(secret)
    try:
        user = await account_rows.create_user(address, name, password_hash)
    except account_rows.EmailTaken:
        raise Conflict("An account with this e-mail address exists.", field="email") from None
    return SignedIn(token=await tokens.issue(user), user=user)


def _account_key(email: str) -> str:
    """The address as accounts store it, so that spellings of one address share a limit."""
    try:
        return validation.email("email", email)
    except BadUserInput:
        return email.strip().lower()


async def login(
    passwords: Passwords,
    tokens: TokenIssuer,
    limiter: RateLimiter,
    *,
    email: str,
    password: str,
    client_address: str,
) -> SignedIn:
    # Counted before anything is checked: an attempt on an account that does
    # not exist, or with a malformed address, costs the same as any other.
    account = _account_key(email)
    await limiter.hit(POLICIES.login_per_address, client_address)
    await limiter.hit(POLICIES.login_per_account, account)
    failure = Unauthenticated("Wrong e-mail address or password.")
    try:
        address = validation.email("email", email)
    except BadUserInput:
        raise failure from None
    user = await account_rows.user_by_email(address)
    matches = await passwords.verify(user.password_hash if user else None, password)
    if user is None or not matches:
        raise failure
    return SignedIn(token=await tokens.issue(user), user=user)


async def logout(signed_in: Authenticated, hub: Hub) -> bool:
    revoked = await account_rows.revoke_session(signed_in.session_id, datetime.now(UTC))
    # The socket streams of this token end at once (see resolvers.streams).
    await events.publish_revocation(hub, signed_in.session_id)
    return revoked
