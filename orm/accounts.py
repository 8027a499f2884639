"""Named queries for users and sessions."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from orm.models import Session, User


class EmailTaken(Exception):
    pass


async def create_user(email: str, display_name: str, password_hash: str) -> User:
    if await User.filter(email=email).exists():
        raise EmailTaken(email)
    try:
        async with in_transaction():
            return await User.create(
                email=email, display_name=display_name, password_hash=password_hash
            )
    except IntegrityError:
        # Two registrations raced past the check above: the unique index decides.
        raise EmailTaken(email) from None


async def user_by_email(email: str) -> User | None:
    return await User.get_or_none(email=email)


async def create_session(user: User, session_id: str, *, expires_at: datetime) -> Session:
    return await Session.create(id=session_id, user=user, expires_at=expires_at)


async def live_session(session_id: str, now: datetime) -> Session | None:
    return (
        await Session.filter(id=session_id, revoked_at__isnull=True, expires_at__gt=now)
        .select_related("user")
        .first()
    )


async def revoke_session(session_id: str, now: datetime) -> bool:
    updated = await Session.filter(id=session_id, revoked_at__isnull=True).update(revoked_at=now)
    return bool(updated)
