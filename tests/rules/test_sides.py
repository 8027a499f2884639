"""A participant's side: who the viewer is, their partner, and their own read marker.

The side and partner answer the same for every viewer; the read marker as
SQL (`myRelationships`' unread counts) answers what Python answers (the
schema's unread count, `markConversationRead`) for both participants.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tortoise.context import TortoiseContext

from orm import messages
from orm.models import Relationship
from orm.rules.sides import partner_of, read_marker, read_marker_sql, side_of
from orm.sql import Params, connection, dialect_of
from orm.vocabulary import ViewerRole
from tests.rules.rows import mentee, mentor

MENTOR_USER, MENTEE_USER, STRANGER = 10, 20, 30
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("viewer", "side", "partner"),
    [
        (MENTOR_USER, ViewerRole.MENTOR, MENTEE_USER),
        (MENTEE_USER, ViewerRole.MENTEE, MENTOR_USER),
        (STRANGER, None, None),
    ],
)
def test_side_and_partner_agree_for_every_viewer(
    viewer: int, side: ViewerRole | None, partner: int | None
) -> None:
    assert side_of(viewer, MENTOR_USER, MENTEE_USER) is side
    assert partner_of(viewer, MENTOR_USER, MENTEE_USER) == partner


async def test_the_read_marker_in_sql_is_the_viewers_own_for_both_sides(
    db: TortoiseContext,
) -> None:
    markers = [(0, 0), (3, 7), (7, 3)]
    made = []
    for mentor_seq, mentee_seq in markers:
        row = await Relationship.create(
            mentor=await mentor(),
            mentee=await mentee(),
            status="ACTIVE",
            created_at=NOW,
            mentor_read_seq=mentor_seq,
            mentee_read_seq=mentee_seq,
        )
        made.append(await Relationship.get(id=row.id).select_related("mentor", "mentee"))

    for row in made:
        for viewer in (row.mentor.user_id, row.mentee.user_id):
            params = Params(dialect_of(connection()))
            marker = read_marker_sql(params.add(viewer), "mentor.user_id", "r")
            found = await connection().execute_query_dict(
                f"SELECT {marker} AS marker FROM relationship r"  # noqa: S608 - our own SQL
                " JOIN mentor_profile mentor ON mentor.id = r.mentor_id"
                f" WHERE r.id = {params.add(row.id)}",
                params.values,
            )
            side = side_of(viewer, row.mentor.user_id, row.mentee.user_id)
            assert side is not None
            assert found[0]["marker"] == read_marker(row, side)


async def test_marking_read_moves_the_marker_of_the_side_that_read(
    db: TortoiseContext,
) -> None:
    row = await Relationship.create(
        mentor=await mentor(), mentee=await mentee(), status="ACTIVE", created_at=NOW
    )

    await messages.mark_read(row.id, side=ViewerRole.MENTEE, up_to=4)
    await messages.mark_read(row.id, side=ViewerRole.MENTOR, up_to=2)
    await messages.mark_read(row.id, side=ViewerRole.MENTEE, up_to=1)  # never backwards

    stored = await Relationship.get(id=row.id)
    assert (read_marker(stored, ViewerRole.MENTOR), read_marker(stored, ViewerRole.MENTEE)) == (
        2,
        4,
    )
