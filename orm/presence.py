"""When members were last seen: written in batches, one statement for many members.

Each row only moves forward: a batch from a process whose clock or queue
lagged never sets a member's time back. Members deleted meanwhile are left
out by the join, not refused by the foreign key.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from orm.sql import POSTGRES, Params, connection, dialect_of

# Members written per statement: bounds the statement's size.
CHUNK = 500


async def record(seen: Mapping[int, datetime]) -> None:
    """Store each member's last-seen time, where it is later than the stored one."""
    items = list(seen.items())
    db = connection()
    for start in range(0, len(items), CHUNK):
        params = Params(dialect_of(db))
        cast = "TIMESTAMPTZ" if params.dialect == POSTGRES else "TEXT"
        rows = ", ".join(
            f"(CAST({params.add(user_id)} AS INTEGER), CAST({params.add_moment(moment)} AS {cast}))"
            for user_id, moment in items[start : start + CHUNK]
        )
        sql = (
            f"WITH seen (uid, at) AS (VALUES {rows})"  # noqa: S608 - placeholders
            " INSERT INTO presence (user_id, seen_at)"
            ' SELECT seen.uid, seen.at FROM seen JOIN "user" u ON u.id = seen.uid WHERE TRUE'
            " ON CONFLICT (user_id) DO UPDATE SET seen_at = excluded.seen_at"
            " WHERE presence.seen_at < excluded.seen_at"
        )
        await db.execute_query(sql, params.values)
