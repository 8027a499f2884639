"""Arguments take global ids; for one release, the decimal ids clients stored before.

Each id argument names one kind (`relationshipId`, `mentorId`, `mentor(id)`),
so a decimal key there is unambiguous; answers always carry global ids. An
id of another kind names nothing of the kind asked for: NOT_FOUND.
"""

from __future__ import annotations

from tests.clock import FakeClock
from tests.people import (
    MESSAGE,
    Person,
    act,
    activate,
    request,
    seen_by,
)
from tests.support import key_of


def decimal(global_id: str) -> str:
    """The id a client stored before global ids: the decimal primary key."""
    return str(key_of(global_id))


async def test_old_decimal_ids_still_name_what_they_named(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    profile = (await mentee.client.op("MentorProfile", id=decimal(mentor.profile_id))).data
    requested = await act(
        mentee,
        "RequestMentoring",
        input={"mentorId": decimal(mentor.profile_id), "message": MESSAGE},
    )
    relationship_id = requested["requestMentoring"]["id"]
    accepted = await act(mentor, "AcceptRequest", relationshipId=decimal(relationship_id))
    sent = await act(
        mentor, "SendMessage", input={"relationshipId": decimal(relationship_id), "body": "Hi"}
    )
    page = await act(mentee, "Conversation", relationshipId=decimal(relationship_id))

    assert profile["mentor"]["id"] == mentor.profile_id
    assert requested["requestMentoring"]["mentor"] == {"id": mentor.profile_id}
    assert accepted["acceptMentoringRequest"] == {"id": relationship_id, "status": "ACCEPTED"}
    assert sent["sendMessage"]["sender"] == {"id": mentor.user_id}
    assert page["relationship"]["id"] == relationship_id
    assert len(page["relationship"]["messages"]["edges"]) == 2


async def test_an_id_of_another_kind_is_not_found(mentor: Person, mentee: Person) -> None:
    relationship_id = await request(mentee, mentor)

    as_mentor = await mentee.client.op("MentorProfile", id=relationship_id)
    as_relationship = await mentor.client.op("AcceptRequest", relationshipId=mentor.profile_id)
    as_mentor_of_a_request = await mentee.client.op(
        "RequestMentoring", input={"mentorId": mentee.profile_id, "message": MESSAGE}
    )

    assert as_mentor.code == "NOT_FOUND"
    assert as_relationship.code == "NOT_FOUND"
    assert as_mentor_of_a_request.code == "NOT_FOUND"
    assert (await seen_by(mentor, relationship_id))["status"] == "REQUESTED"


async def test_the_viewer_and_their_member_are_one_id(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await activate(mentor, mentee, clock)
    sent = await act(mentee, "SendMessage", input={"relationshipId": relationship_id, "body": "Hi"})
    viewer = (await mentee.client.op("Viewer")).data["viewer"]
    profile = (await mentor.client.op("MentorProfile", id=mentor.profile_id)).data["mentor"]

    assert viewer["id"] == mentee.user_id == sent["sendMessage"]["sender"]["id"]
    assert viewer["menteeProfile"]["id"] == mentee.profile_id != viewer["id"]
    assert profile["member"] == {"id": mentor.user_id}
