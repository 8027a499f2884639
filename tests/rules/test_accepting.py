"""Accepting mentees: the Python predicate, its SQL and its ORM filter agree on every row.

The rows cover the edges: capacity unset and 0, a place free, exactly at
capacity, above it (a capacity lowered under the count), the switch off, and
incomplete profiles (the rule does not read completeness; search and
suggestions add it as a rule of their own).
"""

from __future__ import annotations

from itertools import product

from tortoise.context import TortoiseContext

from orm.models import MentorProfile
from orm.rules.accepting import (
    accepts_mentees,
    accepts_mentees_sql,
    free_place_filter,
    free_places,
    free_places_sql,
    has_free_place,
    not_accepting_sql,
)
from orm.search import MentorSearch, count_mentors
from orm.sql import connection
from tests.rules.rows import mentor

SWITCH = (True, False)
CAPACITY = (None, 0, 1, 3)
COUNT = (0, 1, 3, 4)
COMPLETE = (True, False)


async def _mentors() -> list[MentorProfile]:
    return [
        await mentor(accepting_mentees=on, capacity=capacity, mentee_count=taken, is_complete=done)
        for on, capacity, taken, done in product(SWITCH, CAPACITY, COUNT, COMPLETE)
    ]


async def _ids(where: str) -> set[int]:
    rows = await connection().execute_query_dict(f"SELECT id FROM mentor_profile mp WHERE {where}")  # noqa: S608 - our own SQL
    return {row["id"] for row in rows}


async def test_the_sql_selects_exactly_the_mentors_the_predicate_accepts(
    db: TortoiseContext,
) -> None:
    mentors = await _mentors()
    accepting = {m.id for m in mentors if accepts_mentees(m)}

    assert accepting  # the sample holds both kinds
    assert accepting < {m.id for m in mentors}
    assert await _ids(accepts_mentees_sql("mp")) == accepting
    assert await _ids(not_accepting_sql("mp")) == {m.id for m in mentors} - accepting


async def test_as_columns_the_sql_answers_what_python_answers_row_by_row(
    db: TortoiseContext,
) -> None:
    mentors = {m.id: m for m in await _mentors()}
    rows = await connection().execute_query_dict(
        "SELECT id,"  # noqa: S608 - our own SQL
        f" CASE WHEN {accepts_mentees_sql('mp')} THEN 1 ELSE 0 END AS accepts,"
        f" CASE WHEN {not_accepting_sql('mp')} THEN 1 ELSE 0 END AS refuses,"
        f" {free_places_sql('mp')} AS free FROM mentor_profile mp"
    )

    assert len(rows) == len(mentors)
    for row in rows:
        m = mentors[row["id"]]
        assert (bool(row["accepts"]), bool(row["refuses"]), row["free"]) == (
            accepts_mentees(m),
            not accepts_mentees(m),
            free_places(m),
        ), (m.accepting_mentees, m.capacity, m.mentee_count)


async def test_the_guard_of_taking_a_place_is_the_free_place_of_the_rule(
    db: TortoiseContext,
) -> None:
    mentors = await _mentors()

    guarded = await MentorProfile.filter(free_place_filter())

    assert {m.id for m in guarded} == {m.id for m in mentors if has_free_place(m)}


async def test_the_search_filter_splits_complete_mentors_by_the_rule(
    db: TortoiseContext,
) -> None:
    mentors = [m for m in await _mentors() if m.is_complete]
    accepting = sum(1 for m in mentors if accepts_mentees(m))

    assert await count_mentors(MentorSearch(accepting_mentees=True)) == accepting
    assert await count_mentors(MentorSearch(accepting_mentees=False)) == len(mentors) - accepting
