"""Which mentors a mentee's relationships rule out of their suggestions.

The contract's hard filters: no mentor with an open or active relationship
with the mentee, none who declined the mentee in the last 90 days. Each is a
`SELECT mentor_id` for the hand-written suggestion SQL, used as one rule of
`orm.eligibility` (free capacity is a rule of its own there). A request
asks the same decline rule (`declined_within_memory`), so that it refuses
exactly the mentors that suggestions leave out for a decline.

Requests past their lifetime and ACTIVE relationships past their end date
no longer block, even before a sweep has written EXPIRED or COMPLETED, so
that suggestions do not depend on when the sweep last ran.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from orm.relationships import REQUEST_LIFETIME
from orm.sql import Params, connection, dialect_of, fetch

# A mentor who declined a mentee is not suggested to them again this long.
DECLINE_MEMORY = timedelta(days=90)


def _moment(value: datetime) -> str:
    # As Tortoise stores times on SQLite (ISO 8601 with a space), which
    # PostgreSQL reads as well.
    return f"'{value.astimezone(UTC).isoformat(' ')}'"


def open_relationship_mentors_sql(mentee_id: int, now: datetime) -> str:
    """`SELECT mentor_id ...` of the mentors with an open or active relationship with the mentee.

    For hand-written SQL, as `mentor_profile.id NOT IN (<this>)` (`mentor_id`
    is never NULL). The values are inlined: an int, dates and UTC times of
    ours, never text from a client.
    """
    return (
        f"SELECT mentor_id FROM relationship WHERE mentee_id = {int(mentee_id)} AND ("  # noqa: S608
        f"(status = 'REQUESTED' AND created_at >= {_moment(now - REQUEST_LIFETIME)})"
        " OR status = 'ACCEPTED'"
        f" OR (status = 'ACTIVE' AND ends_on >= '{now.astimezone(UTC).date().isoformat()}'))"
    )


def recent_decline_mentors_sql(mentee_id: int, now: datetime) -> str:
    """`SELECT mentor_id ...` of the mentors who declined the mentee within DECLINE_MEMORY."""
    return (
        f"SELECT mentor_id FROM relationship WHERE mentee_id = {int(mentee_id)} "  # noqa: S608
        f"AND status = 'DECLINED' AND responded_at >= {_moment(now - DECLINE_MEMORY)}"
    )


async def declined_within_memory(mentee_id: int, mentor_id: int, now: datetime) -> bool:
    """Did this mentor decline this mentee within DECLINE_MEMORY before `now`?"""
    db = connection()
    params = Params(dialect_of(db))
    sql = (
        f"SELECT 1 AS declined FROM ({recent_decline_mentors_sql(mentee_id, now)}) recent"  # noqa: S608
        f" WHERE recent.mentor_id = {params.add(mentor_id)} LIMIT 1"
    )
    return bool(await fetch(db, sql, params))
