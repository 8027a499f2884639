"""Accounts: registering, signing in and out, changing the password.

Sign-in limits (how often, per account and address) are in
`resolvers.ratelimit_signin`; a password change counts like a sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from orm import accounts as account_rows
from orm.models import User
from orm.rules.suspension import is_suspended
from resolvers import events, ratelimit_signin, validation
from resolvers.catalogue import _
from resolvers.errors import BadUserInput, Conflict, Suspended, Unauthenticated
from resolvers.hub import Hub
from resolvers.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, Passwords
from resolvers.ratelimit import POLICIES, RateLimiter
from resolvers.tokens import Authenticated, TokenIssuer

MAX_DISPLAY_NAME_LENGTH = 100


@dataclass(frozen=True)
class SignedIn:
    token: str
    user: User


def _check_password(password: str, field: str = "password") -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise BadUserInput(
            field,
            _(
                "must have {minimum} to {maximum} characters.",
                minimum=MIN_PASSWORD_LENGTH,
                maximum=MAX_PASSWORD_LENGTH,
            ),
        )
    if "\x00" in password:
        raise BadUserInput(field, _("contains a NUL character."))
    return password


async def _is_password_of(passwords: Passwords, user: User | None, password: str) -> bool:
    # No password is longer than this: one that is cannot match, and is not
    # worth hashing (it costs the same answer, so it tells nothing either).
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    matches = await passwords.verify(user.password_hash if user else None, password)
    return user is not None and matches


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
    collected = validation.Collected()
    address = name = secret = ""
    with collected:
        address = validation.email("email", email)
    with collected:
        name = validation.required_text(
            "displayName", display_name, max_length=MAX_DISPLAY_NAME_LENGTH
        )
    with collected:
        secret = _check_password(password)
    collected.raise_any()
    password_hash = await passwords.hash(secret)
    try:
        user = await account_rows.create_user(address, name, password_hash)
    except account_rows.EmailTaken:
        raise Conflict(_("An account with this e-mail address exists."), field="email") from None
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
    await ratelimit_signin.admit(limiter, account=account, address=client_address)
    try:
        address = validation.email("email", email)
    except BadUserInput:
        address = None
    user = await account_rows.user_by_email(address) if address is not None else None
    if not await _is_password_of(passwords, user, password) or user is None:
        await ratelimit_signin.failed(limiter, account=account, address=client_address)
        raise Unauthenticated(_("Wrong e-mail address or password."))
    # Told only to whoever knows the password: the owner learns why, no one else.
    if is_suspended(user):
        raise Suspended()
    return SignedIn(token=await tokens.issue(user), user=user)


async def change_password(
    passwords: Passwords,
    tokens: TokenIssuer,
    limiter: RateLimiter,
    hub: Hub,
    signed_in: Authenticated,
    *,
    current_password: str,
    new_password: str,
    client_address: str,
    now: datetime,
) -> SignedIn:
    """Needs the current password; ends every session of the account at once.

    The caller goes on in a new session, under the token returned: the one the
    request was sent with ends with the others, so that a copy of it, wherever
    it went, is worth nothing. Sockets opened with any old token close (4403);
    the caller's reconnect with the new one.
    """
    user = signed_in.user
    # Whoever holds a stolen token may guess the password here as at login.
    await ratelimit_signin.admit(limiter, account=user.email, address=client_address)
    secret = _check_password(new_password, "newPassword")
    if not await _is_password_of(passwords, user, current_password):
        await ratelimit_signin.failed(limiter, account=user.email, address=client_address)
        raise BadUserInput("currentPassword", _("is not the account's password."))
    password_hash = await passwords.hash(secret)
    revoked = await account_rows.change_password(user.id, password_hash, now)
    await _end_live_sessions(hub, revoked)
    user.password_hash = password_hash
    return SignedIn(token=await tokens.issue(user), user=user)


async def logout(signed_in: Authenticated, hub: Hub, *, now: datetime) -> bool:
    revoked = await account_rows.revoke_session(signed_in.session_id, now)
    # The socket streams of this token end at once (see resolvers.streams).
    await events.publish_revocation(hub, signed_in.session_id)
    return revoked


async def logout_everywhere(signed_in: Authenticated, hub: Hub, *, now: datetime) -> bool:
    """Revoke every session of the account, this one included."""
    revoked = await account_rows.revoke_sessions_of(signed_in.user.id, now)
    await _end_live_sessions(hub, [*revoked, signed_in.session_id])
    return True


async def _end_live_sessions(hub: Hub, session_ids: list[str]) -> None:
    # Each session's sockets listen on its own channel (resolvers.events).
    for session_id in dict.fromkeys(session_ids):
        await events.publish_revocation(hub, session_id)
