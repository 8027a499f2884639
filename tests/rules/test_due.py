"""Due for settling: the Python predicate, its SQL (both ways) and its ORM filter agree.

The rows sit on the edges: a request created exactly 14 days before `now`,
a microsecond and an hour either side (on SQLite moments compare as text,
which catches a format that differs from the stored one), ACTIVE ending
today, yesterday or never, and every other status. Two moments of `now`,
with and without microseconds, one of them given in another time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from tortoise.context import TortoiseContext

from orm import blocking, relationships
from orm.models import Relationship
from orm.rules.due import due_filter, due_sql, expiry_cutoff, is_due, is_open, open_sql, today
from orm.sql import Params, connection, dialect_of
from orm.vocabulary import RelationshipStatus
from tests.rules.rows import mentee, mentor

MOMENTS = (
    datetime(2026, 6, 1, 12, 0, tzinfo=UTC),
    # 00:30 on 2 June in UTC+14 is still 1 June in UTC: `today` is the UTC day.
    datetime(2026, 6, 2, 0, 30, 0, 250_000, tzinfo=timezone(timedelta(hours=14))),
)
TICK, HOUR, DAY = timedelta(microseconds=1), timedelta(hours=1), timedelta(days=1)


def _cases(now: datetime) -> list[dict[str, Any]]:
    cutoff = expiry_cutoff(now)
    requests = [
        {"status": "REQUESTED", "created_at": cutoff + shift}
        for shift in (-HOUR, -TICK, timedelta(0), TICK, HOUR)
    ]
    actives = [
        {"status": "ACTIVE", "ends_on": ends_on}
        for ends_on in (today(now) - DAY, today(now), today(now) + DAY, None)
    ]
    others = [
        {"status": status.value, "ends_on": date(2026, 1, 1)}
        for status in RelationshipStatus
        if status not in (RelationshipStatus.REQUESTED, RelationshipStatus.ACTIVE)
    ]
    return requests + actives + others


async def _relationships(now: datetime) -> dict[int, Relationship]:
    """One relationship per case, each with its own mentor (as blocking reads by mentor)."""
    seeker = await mentee()
    made: dict[int, Relationship] = {}
    for values in _cases(now):
        fields = {"created_at": now - 20 * DAY, **values}
        row = await Relationship.create(mentor=await mentor(capacity=3), mentee=seeker, **fields)
        made[row.id] = await Relationship.get(id=row.id)  # as stored and read back
    return made


async def _ids(fragment: str, params: Params) -> set[int]:
    rows = await connection().execute_query_dict(
        f"SELECT r.id FROM relationship r WHERE {fragment}",  # noqa: S608 - our own SQL
        params.values,
    )
    return {row["id"] for row in rows}


def _params() -> Params:
    return Params(dialect_of(connection()))


@pytest.mark.parametrize("now", MOMENTS)
async def test_the_sql_selects_exactly_the_due_and_the_open_relationships(
    db: TortoiseContext, now: datetime
) -> None:
    rows = await _relationships(now)
    due = {key for key, row in rows.items() if is_due(row, now)}
    still_open = {key for key, row in rows.items() if is_open(row, now)}

    # The edges fall both ways.
    assert len(due) == 3
    assert len(still_open) == 7
    params = _params()
    assert await _ids(due_sql(now, params, "r"), params) == due
    params = _params()
    assert await _ids(open_sql(now, params, "r"), params) == still_open


@pytest.mark.parametrize("now", MOMENTS)
async def test_as_columns_the_sql_answers_what_python_answers_row_by_row(
    db: TortoiseContext, now: datetime
) -> None:
    rows = await _relationships(now)
    params = _params()
    found = await connection().execute_query_dict(
        "SELECT r.id,"  # noqa: S608 - our own SQL
        f" CASE WHEN {due_sql(now, params, 'r')} THEN 1 ELSE 0 END AS due,"
        f" CASE WHEN {open_sql(now, params, 'r')} THEN 1 ELSE 0 END AS open"
        " FROM relationship r",
        params.values,
    )

    for answer in found:
        row = rows[answer["id"]]
        assert (bool(answer["due"]), bool(answer["open"])) == (
            is_due(row, now),
            is_open(row, now),
        ), (row.status, row.created_at, row.ends_on)


@pytest.mark.parametrize("now", MOMENTS)
async def test_the_sweep_and_suggestions_read_the_same_rule(
    db: TortoiseContext, now: datetime
) -> None:
    rows = await _relationships(now)
    seeker = next(iter(rows.values())).mentee_id

    swept = await relationships.due_for_settling(now, limit=100)
    filtered = [row.id for row in await Relationship.filter(due_filter(now))]
    params = _params()
    blocked = await connection().execute_query_dict(
        blocking.open_relationship_mentors_sql(seeker, now, params), params.values
    )

    assert (
        {row.id for row in swept} == set(filtered) == {k for k, r in rows.items() if is_due(r, now)}
    )
    assert {row["mentor_id"] for row in blocked} == {
        r.mentor_id for r in rows.values() if is_open(r, now)
    }
