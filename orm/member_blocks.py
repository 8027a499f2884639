"""Members who blocked each other: stored once per direction, applied both ways.

A block hides the two from each other wherever one could find or reach the
other: search, suggestions, match scores, `node`, requests and messages.
`hidden_users_sql` is the one SQL rendering the discovery queries embed as
a hard filter (so that the top k of suggestions stays exact); `between` is
the same rule asked for one pair, by the write paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from orm.models import MemberBlock
from orm.sql import Params, connection, dialect_of, fetch


def hidden_users_sql(user_id: int, params: Params) -> str:
    """`SELECT user_id ...` of everyone the user blocked or was blocked by.

    For hand-written SQL, as `<user id column> NOT IN (<this>)` (neither
    column is ever NULL); its values are bound in `params`, in order.
    """
    return (
        "SELECT blocked_id AS user_id FROM member_block"  # noqa: S608 - placeholders only
        f" WHERE blocker_id = {params.add(user_id)}"
        " UNION ALL SELECT blocker_id AS user_id FROM member_block"
        f" WHERE blocked_id = {params.add(user_id)}"
    )


async def between(one: int, other: int) -> bool:
    """Has either of the two users blocked the other?"""
    db = connection()
    params = Params(dialect_of(db))
    sql = (
        f"SELECT 1 AS blocked FROM ({hidden_users_sql(one, params)}) hidden"  # noqa: S608
        f" WHERE hidden.user_id = {params.add(other)} LIMIT 1"
    )
    return bool(await fetch(db, sql, params))


async def block(blocker_id: int, blocked_id: int, at: datetime) -> bool:
    """Store the block; False when it was there already (blocking twice changes nothing)."""
    if await MemberBlock.exists(blocker_id=blocker_id, blocked_id=blocked_id):
        return False
    try:
        async with in_transaction():
            await MemberBlock.create(blocker_id=blocker_id, blocked_id=blocked_id, created_at=at)
    except IntegrityError:
        return False  # a concurrent identical block won: the unique index decides
    return True


async def unblock(blocker_id: int, blocked_id: int) -> bool:
    """Remove the user's own block; False when there was none."""
    return bool(await MemberBlock.filter(blocker_id=blocker_id, blocked_id=blocked_id).delete())


@dataclass(frozen=True)
class Blocked:
    """A member the user blocked, and when."""

    user_id: int
    display_name: str
    at: datetime


async def blocked_by(blocker_id: int) -> list[Blocked]:
    """The members the user blocked, the most recent first."""
    rows = (
        await MemberBlock.filter(blocker_id=blocker_id)
        .order_by("-created_at", "-id")
        .values("blocked_id", "blocked__display_name", "created_at")
    )
    return [
        Blocked(int(row["blocked_id"]), str(row["blocked__display_name"]), row["created_at"])
        for row in rows
    ]
