"""Suspension: the Python predicate and the SQL clause leave out exactly the same members."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.context import TortoiseContext

from orm.models import MentorProfile, User
from orm.rules.suspension import is_suspended, not_suspended_sql
from orm.search import MentorSearch, count_mentors
from orm.sql import connection
from tests.rules.rows import mentor

AT = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


async def _mentors() -> list[tuple[MentorProfile, User]]:
    made = []
    for index in range(6):
        profile = await mentor(is_complete=True)
        if index % 2:
            await User.filter(id=profile.user_id).update(suspended_at=AT)
        made.append((profile, await User.get(id=profile.user_id)))
    return made


async def test_the_sql_keeps_exactly_the_mentors_the_predicate_keeps(db: TortoiseContext) -> None:
    mentors = await _mentors()
    kept = {profile.id for profile, owner in mentors if not is_suspended(owner)}

    rows = await connection().execute_query_dict(
        f"SELECT id FROM mentor_profile mp WHERE {not_suspended_sql('mp.user_id')}"  # noqa: S608
    )

    assert kept
    assert len(kept) < len(mentors)
    assert {row["id"] for row in rows} == kept


async def test_search_counts_what_the_predicate_keeps(db: TortoiseContext) -> None:
    mentors = await _mentors()

    assert await count_mentors(MentorSearch()) == sum(
        1 for _, owner in mentors if not is_suspended(owner)
    )
