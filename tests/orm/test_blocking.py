"""The relationship pieces of suggestion eligibility, against a real database.

A mentee's own relationships rule a mentor out while a request is open (and
not yet past its 14 days), while they work together, and for 90 days after
the mentor declined.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from tortoise.context import TortoiseContext

from orm import blocking
from orm.models import MenteeProfile, MentorProfile, Relationship, User
from orm.sql import Params, dialect_of

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DAY, HOUR = timedelta(days=1), timedelta(hours=1)

# name -> (relationship fields, blocks the mentee?)
# Times an hour either side of a limit fall on the same day as the limit:
# compared as text (SQLite), they catch a format that differs from the stored one.
CASES: dict[str, tuple[dict[str, Any], bool]] = {
    "open request": ({"status": "REQUESTED", "created_at": NOW - 14 * DAY + HOUR}, True),
    "request past 14 days": ({"status": "REQUESTED", "created_at": NOW - 14 * DAY - HOUR}, False),
    "accepted": ({"status": "ACCEPTED"}, True),
    "active": ({"status": "ACTIVE", "ends_on": NOW.date()}, True),
    "active past its end": ({"status": "ACTIVE", "ends_on": NOW.date() - DAY}, False),
    "declined 90 days ago": ({"status": "DECLINED", "responded_at": NOW - 90 * DAY + HOUR}, True),
    "declined before": ({"status": "DECLINED", "responded_at": NOW - 90 * DAY - HOUR}, False),
    "withdrawn": ({"status": "WITHDRAWN"}, False),
    "expired": ({"status": "EXPIRED"}, False),
    "completed": ({"status": "COMPLETED", "ends_on": date(2026, 1, 1)}, False),
    "ended": ({"status": "ENDED"}, False),
}


async def _user(name: str) -> User:
    return await User.create(email=f"{name}@example.org", display_name=name, password_hash="x")


async def _world() -> tuple[MenteeProfile, dict[str, MentorProfile], MentorProfile]:
    """One mentee with one relationship per case (one mentor each), plus a full mentor."""
    mentee = await MenteeProfile.create(user=await _user("mentee"))
    other = await MenteeProfile.create(user=await _user("other"))
    mentors: dict[str, MentorProfile] = {}
    for index, (name, (values, _)) in enumerate(CASES.items()):
        mentor = await MentorProfile.create(user=await _user(f"m{index}"), capacity=3)
        mentors[name] = mentor
        fields = {"created_at": NOW - 20 * DAY, **values}
        await Relationship.create(mentor=mentor, mentee=mentee, **fields)
        # Another mentee's open request blocks nobody else.
        await Relationship.create(mentor=mentor, mentee=other, status="REQUESTED", created_at=NOW)
    full = await MentorProfile.create(user=await _user("full"), capacity=2, mentee_count=2)
    return mentee, mentors, full


def _expected(mentors: dict[str, MentorProfile]) -> set[int]:
    return {mentors[name].id for name, (_, blocks) in CASES.items() if blocks}


async def test_the_sql_fragments_select_the_mentors_the_contract_rules_out(
    db: TortoiseContext,
) -> None:
    mentee, mentors, _ = await _world()
    params = Params(dialect_of(db.db()))
    open_ = blocking.open_relationship_mentors_sql(mentee.id, NOW, params)
    declined = blocking.recent_decline_mentors_sql(mentee.id, NOW, params)

    rows = await db.db().execute_query_dict(
        f"SELECT id FROM mentor_profile WHERE id IN ({open_}) OR id IN ({declined})",  # noqa: S608 - our own SQL
        params.values,
    )

    assert {row["id"] for row in rows} == _expected(mentors)
