"""Feedback: either side, once the relationship is COMPLETED or ENDED, once each."""

from __future__ import annotations

import pytest

from orm.models import Feedback
from tests.clock import FakeClock
from tests.people import Person, act, reach
from tests.support import key_of


@pytest.mark.parametrize("status", ["COMPLETED", "ENDED"])
async def test_each_side_gives_feedback_once(
    mentor: Person, mentee: Person, clock: FakeClock, status: str
) -> None:
    relationship_id = await reach(status, mentor, mentee, clock)

    for person in (mentee, mentor):
        given = (await act(person, "GiveFeedback", relationshipId=relationship_id, rating=4))[
            "giveFeedback"
        ]
        assert (given["rating"], given["comment"]) == (4, None)

        again = await person.client.op(
            "GiveFeedback", relationshipId=relationship_id, rating=1, comment="Changed my mind."
        )
        assert again.code == "CONFLICT"

    stored = await Feedback.filter(relationship_id=key_of(relationship_id)).order_by("id")
    assert [(row.author_id, row.rating) for row in stored] == [
        (key_of(mentee.user_id), 4),
        (key_of(mentor.user_id), 4),
    ]


@pytest.mark.parametrize(
    ("field", "rating", "comment"),
    [("rating", 0, None), ("rating", 6, None), ("comment", 5, "x" * 2001)],
)
async def test_bad_feedback_names_the_field_and_stores_nothing(
    mentor: Person, mentee: Person, clock: FakeClock, field: str, rating: int, comment: str | None
) -> None:
    relationship_id = await reach("ENDED", mentor, mentee, clock)

    reply = await mentee.client.op(
        "GiveFeedback", relationshipId=relationship_id, rating=rating, comment=comment
    )

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == field
    assert await Feedback.all().count() == 0


async def test_a_comment_is_kept_as_written(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await reach("COMPLETED", mentor, mentee, clock)
    comment = "Thank you — the interview practice\nmade all the difference."

    given = await act(
        mentee, "GiveFeedback", relationshipId=relationship_id, rating=5, comment=comment
    )

    assert given["giveFeedback"]["comment"] == comment
