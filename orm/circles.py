"""A user's circle: the people and profiles they met in their relationships.

What `node` and `nodes` ask before showing a person or a profile: one
statement per user, however many ids a request names, blocks included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orm.member_blocks import hidden_users_sql
from orm.sql import Params, connection, dialect_of, fetch_bounded


@dataclass(frozen=True, slots=True)
class Circle:
    """Who a user met in their relationships, on either side, in any status."""

    # The other participant of each relationship.
    partner_user_ids: frozenset[int]
    # The mentee profiles of the relationships in which the user is the mentor.
    mentored_mentee_ids: frozenset[int]
    # Whom the user blocked or was blocked by (`orm.member_blocks`): hidden
    # from each other whatever else they share.
    hidden_user_ids: frozenset[int] = frozenset()


async def circles_of(user_ids: Sequence[int]) -> list[Circle]:
    """Each user's circle, in the ids' order (a user without relationships has an empty one)."""
    return [await _circle_of(user_id) for user_id in user_ids]


async def _circle_of(user_id: int) -> Circle:
    db = connection()
    params = Params(dialect_of(db))
    # Matching by profile ids lets the mentor_id and mentee_id indexes serve
    # (as `orm.listing.of_user` does).
    sql = (
        "SELECT 'r' AS kind, r.mentee_id, mentor.user_id AS mentor_user_id,"  # noqa: S608
        " mentee.user_id AS mentee_user_id FROM relationship r"
        " JOIN mentor_profile mentor ON mentor.id = r.mentor_id"
        " JOIN mentee_profile mentee ON mentee.id = r.mentee_id"
        " WHERE r.mentor_id IN"
        f" (SELECT id FROM mentor_profile WHERE user_id = {params.add(user_id)})"
        f" OR r.mentee_id IN (SELECT id FROM mentee_profile WHERE user_id = {params.add(user_id)})"
        # The blocks, in the same round trip: `node` asks both for every person.
        " UNION ALL SELECT 'b' AS kind, NULL, hidden.user_id, NULL"
        f" FROM ({hidden_users_sql(user_id, params)}) hidden"
    )
    found = await fetch_bounded(db, sql, params)
    rows = [row for row in found if row["kind"] == "r"]
    hidden = frozenset(int(row["mentor_user_id"]) for row in found if row["kind"] == "b")
    mentoring = [row for row in rows if row["mentor_user_id"] == user_id]
    mentored = [row for row in rows if row["mentor_user_id"] != user_id]
    return Circle(
        partner_user_ids=frozenset(
            [int(row["mentee_user_id"]) for row in mentoring]
            + [int(row["mentor_user_id"]) for row in mentored]
        ),
        mentored_mentee_ids=frozenset(int(row["mentee_id"]) for row in mentoring),
        hidden_user_ids=hidden,
    )
