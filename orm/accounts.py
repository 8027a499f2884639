"""Named queries for users and sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from orm.models import Session, User
from orm.records import model_reader
from orm.sql import Params, connection, dialect_of, fetch_bounded


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


async def user_by_id(user_id: int) -> User | None:
    return await User.get_or_none(id=user_id)


async def create_session(
    user: User, session_id: str, *, created_at: datetime, expires_at: datetime
) -> Session:
    return await Session.create(
        id=session_id, user=user, created_at=created_at, expires_at=expires_at
    )


_USER = model_reader(User)


async def live_session_user(session_id: str, user_id: int, now: datetime) -> User | None:
    """The user of the session, while it is theirs, unrevoked and unexpired.

    Every authenticated request asks this, so it is one hand-written
    statement: the ORM's query building cost more than the query.
    """
    db = connection()
    params = Params(dialect_of(db))
    sql = (
        'SELECT u.* FROM session s JOIN "user" u ON u.id = s.user_id'  # noqa: S608 - placeholders
        f" WHERE s.id = {params.add(session_id)} AND s.user_id = {params.add(user_id)}"
        f" AND s.revoked_at IS NULL AND s.expires_at > {params.add_moment(now)}"
        # A suspension revokes the sessions too; this also closes the moment
        # between a sign-in's check and a suspension committing meanwhile.
        " AND u.suspended_at IS NULL"
    )
    found = await fetch_bounded(db, sql, params)
    return _USER(found[0]) if found else None


async def revoke_session(session_id: str, now: datetime) -> bool:
    updated = await Session.filter(id=session_id, revoked_at__isnull=True).update(revoked_at=now)
    return bool(updated)


async def revoke_sessions_of(user_id: int, now: datetime) -> list[str]:
    """Revoke every session of the user: the ids of those that were live."""
    async with in_transaction():
        live = await Session.filter(
            user_id=user_id, revoked_at__isnull=True, expires_at__gt=now
        ).values_list("id", flat=True)
        await Session.filter(user_id=user_id, revoked_at__isnull=True).update(revoked_at=now)
    return [str(session_id) for session_id in live]


async def change_password(user_id: int, password_hash: str, now: datetime) -> list[str]:
    """Store the new hash and revoke every session, at once: the ids of those that were live."""
    async with in_transaction():
        await User.filter(id=user_id).update(password_hash=password_hash)
        return await revoke_sessions_of(user_id, now)


async def update_user(user_id: int, changes: dict[str, Any]) -> None:
    """Write the account's columns in `changes` (already validated)."""
    if changes:
        await User.filter(id=user_id).update(**changes)
