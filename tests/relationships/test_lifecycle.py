"""The whole lifecycle over HTTP, with the contract's operations."""

from __future__ import annotations

from typing import Any

from tests.clock import FakeClock
from tests.people import (
    MESSAGE,
    Person,
    accept_terms,
    act,
    propose,
    request,
    seen_by,
)
from tests.support import Client

MINE = """
query Mine($status: [RelationshipStatus!]) {
  myRelationships(status: $status) {
    id status viewerRole mentor { id displayName } mentee { id displayName }
    agreement { version status }
  }
}
"""


async def mine(person: Person, status: list[str] | None = None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await person.client.query(MINE, {"status": status})).data[
        "myRelationships"
    ]
    return found


async def test_request_accept_agree_complete_and_give_feedback(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    requested = (
        await act(
            mentee,
            "RequestMentoring",
            input={"mentorId": mentor.profile_id, "message": MESSAGE, "topics": ["NETWORKING"]},
        )
    )["requestMentoring"]
    assert requested["status"] == "REQUESTED"
    assert requested["mentor"] == {"id": mentor.profile_id}
    assert requested["mentee"] == {"id": mentee.profile_id}
    assert requested["createdAt"] == "2026-03-02T09:00:00.000Z"
    relationship_id = requested["id"]

    as_mentor = await mine(mentor, ["REQUESTED"])
    assert [(r["id"], r["viewerRole"]) for r in as_mentor] == [(relationship_id, "MENTOR")]
    assert as_mentor[0]["mentee"] == {"id": mentee.profile_id, "displayName": "Mika Mentee"}
    assert (await mine(mentee))[0]["viewerRole"] == "MENTEE"
    assert (await seen_by(mentor, relationship_id))["requestMessage"] == MESSAGE

    accepted = await act(mentor, "AcceptRequest", relationshipId=relationship_id)
    assert accepted["acceptMentoringRequest"] == {"id": relationship_id, "status": "ACCEPTED"}

    proposed = await propose(mentee, relationship_id, clock, days=90)
    assert proposed["version"] == 1
    assert proposed["status"] == "PROPOSED"
    assert proposed["proposedBy"] == {"id": mentee.user_id}
    assert proposed["cadence"] == "BIWEEKLY"
    assert proposed["relationship"] == {
        "id": relationship_id,
        "pendingAgreement": {"id": proposed["id"], "version": 1},
    }

    active = await accept_terms(mentor, relationship_id, 1)
    assert active == {
        "id": relationship_id,
        "status": "ACTIVE",
        "startsOn": "2026-03-02",
        "endsOn": "2026-05-31",
        "agreement": {"id": proposed["id"], "version": 1, "status": "ACCEPTED"},
        "pendingAgreement": None,
    }

    clock.advance(days=90)  # the last day: still active
    assert (await mine(mentee))[0]["status"] == "ACTIVE"
    clock.advance(days=1)
    assert (await mine(mentee))[0]["status"] == "COMPLETED"
    assert (await mine(mentor, ["COMPLETED"]))[0]["id"] == relationship_id

    given = []
    for person, rating in ((mentee, 5), (mentor, 4)):
        feedback = (
            await act(
                person, "GiveFeedback", relationshipId=relationship_id, rating=rating, comment="Ok."
            )
        )["giveFeedback"]
        assert (feedback["rating"], feedback["comment"]) == (rating, "Ok.")
        given.append({"id": feedback["id"], "rating": rating, "givenBy": {"id": person.user_id}})
        # The relationship's list, as the cache holds it, gains the new feedback.
        assert feedback["relationship"] == {"id": relationship_id, "feedback": given}


async def test_a_relationship_ended_early_by_either_side(mentor: Person, mentee: Person) -> None:
    relationship_id = await request(mentee, mentor)
    await act(mentor, "AcceptRequest", relationshipId=relationship_id)

    ended = await act(mentor, "EndRelationship", relationshipId=relationship_id, reason="Moved.")

    assert ended["endRelationship"] == {"id": relationship_id, "status": "ENDED"}
    assert (await seen_by(mentee, relationship_id))["endReason"] == "Moved."


async def test_a_declined_request_carries_the_reason_to_the_mentee(
    mentor: Person, mentee: Person
) -> None:
    relationship_id = await request(mentee, mentor)

    declined = await act(
        mentor, "DeclineRequest", relationshipId=relationship_id, reason="I am fully booked."
    )

    assert declined["declineMentoringRequest"]["status"] == "DECLINED"
    seen = await seen_by(mentee, relationship_id)
    assert seen["declineReason"] == "I am fully booked."


async def test_a_withdrawn_request(mentor: Person, mentee: Person) -> None:
    relationship_id = await request(mentee, mentor)

    withdrawn = await act(mentee, "WithdrawRequest", relationshipId=relationship_id)

    assert withdrawn["withdrawMentoringRequest"] == {"id": relationship_id, "status": "WITHDRAWN"}


async def test_my_relationships_lists_both_sides_newest_first(
    mentor: Person, mentee: Person, outsider: Person, clock: FakeClock
) -> None:
    first = await request(mentee, mentor)
    clock.advance(minutes=1)
    # The outsider, a mentee too, asks the same mentor.
    second = await request(outsider, mentor)

    assert [r["id"] for r in await mine(mentor)] == [second, first]
    assert [r["id"] for r in await mine(mentee)] == [first]
    assert await mine(mentor, ["ACTIVE"]) == []
    assert [r["id"] for r in await mine(mentor, [])] == [second, first]


async def test_a_member_without_profiles_has_no_relationships(user: Client) -> None:
    assert (await user.query("{ myRelationships { id } }")).data == {"myRelationships": []}
