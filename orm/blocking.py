"""Which mentors a mentee's relationships rule out of their suggestions.

The contract's hard filters: no mentor with an open or active relationship
with the mentee, none who declined the mentee in the last 90 days. Each is a
`SELECT mentor_id` for the hand-written suggestion SQL, used as one rule of
`orm.eligibility` (free capacity is a rule of its own there). A request
asks the same decline rule (`declined_within_memory`), so that it refuses
exactly the mentors that suggestions leave out for a decline.

Requests past their lifetime and ACTIVE relationships past their end date
no longer block (`orm.rules.due`), even before a sweep has written EXPIRED
or COMPLETED, so that suggestions do not depend on when the sweep last ran.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from orm.rules.due import open_sql
from orm.sql import Params, connection, dialect_of, fetch
from orm.vocabulary import RelationshipStatus

# A mentor who declined a mentee is not suggested to them again this long.
DECLINE_MEMORY = timedelta(days=90)


def open_relationship_mentors_sql(mentee_id: int, now: datetime, params: Params) -> str:
    """`SELECT mentor_id ...` of the mentors with an open or active relationship with the mentee.

    For hand-written SQL, as `mentor_profile.id NOT IN (<this>)` (`mentor_id`
    is never NULL); its values are bound in `params`, in the order they appear.
    """
    return (
        "SELECT mentor_id FROM relationship"  # noqa: S608 - placeholders only
        f" WHERE mentee_id = {params.add(mentee_id)} AND {open_sql(now, params)}"
    )


def recent_decline_mentors_sql(mentee_id: int, now: datetime, params: Params) -> str:
    """`SELECT mentor_id ...` of the mentors who declined the mentee within DECLINE_MEMORY."""
    declined = RelationshipStatus.DECLINED.value
    return (
        "SELECT mentor_id FROM relationship"  # noqa: S608 - placeholders only
        f" WHERE mentee_id = {params.add(mentee_id)} AND status = {params.add(declined)}"
        f" AND responded_at >= {params.add_moment(now - DECLINE_MEMORY)}"
    )


async def declined_within_memory(mentee_id: int, mentor_id: int, now: datetime) -> bool:
    """Did this mentor decline this mentee within DECLINE_MEMORY before `now`?"""
    db = connection()
    params = Params(dialect_of(db))
    sql = (
        f"SELECT 1 AS declined FROM ({recent_decline_mentors_sql(mentee_id, now, params)}) recent"  # noqa: S608
        f" WHERE recent.mentor_id = {params.add(mentor_id)} LIMIT 1"
    )
    return bool(await fetch(db, sql, params))
