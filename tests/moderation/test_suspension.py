"""What a suspension does, at once, and what reinstating undoes (and does not).

A suspended member's sessions end, signing in answers SUSPENDED, their
profiles leave search and suggestions, their open requests are withdrawn;
reinstating lets them sign in and be found again, and leaves the requests
withdrawn.
"""

from __future__ import annotations

from starlette.applications import Starlette

from tests.clock import FakeClock
from tests.moderation.helpers import REASON
from tests.people import (
    MENTEE_PROFILE,
    MESSAGE,
    Person,
    act,
    new_mentee,
    new_mentor,
    request,
)
from tests.support import Client

PASSWORD = "correct horse"  # what Client.register signs up with
VIEWER = "{ viewer { id } }"


async def found_in_search(anyone: Client) -> set[str]:
    """The mentors found with no filter; a search by words, topic and language (the
    full-text count's own path) must find the same ones."""
    found = []
    text = {"text": "research", "topics": ["SUBJECT_EXPERTISE"], "languages": ["en"]}
    for search in ({}, text):
        data = (await anyone.op("SearchMentors", filter=search, first=100)).data["searchMentors"]
        assert data["totalCount"] == len(data["edges"])
        found.append({edge["node"]["displayName"] for edge in data["edges"]})
    assert found[0] == found[1]
    return found[0]


async def suggested(mentee: Person) -> set[str]:
    data = (await mentee.client.op("MentorSuggestions", first=50)).data["mentorSuggestions"]
    return {item["mentor"]["displayName"] for item in data}


async def status_of(person: Person, relationship_id: str) -> str:
    query = "query($id: ID!) { relationship(id: $id) { status } }"
    found = (await person.client.query(query, {"id": relationship_id})).data["relationship"]
    status: str = found["status"]
    return status


async def test_the_suspended_members_token_stops_working_and_sign_in_answers_suspended(
    app: Starlette, anon: Client, moderator: Client, mentor: Person
) -> None:
    other_session = (await anon.op("Login", email="mentor@example.org", password=PASSWORD)).data

    await moderator.op("SuspendMember", memberId=mentor.user_id, reason=REASON)

    assert (await mentor.client.query(VIEWER)).data["viewer"] is None
    token = other_session["login"]["token"]
    assert (await anon.signed_in(token, mentor.user_id).query(VIEWER)).data["viewer"] is None
    signing_in = await anon.op("Login", email="mentor@example.org", password=PASSWORD)
    assert signing_in.code == "SUSPENDED"
    # A wrong password learns nothing of the suspension.
    guessing = await anon.op("Login", email="mentor@example.org", password="not the password")
    assert guessing.code == "UNAUTHENTICATED"


async def test_reinstating_lets_the_member_sign_in_again(
    app: Starlette, anon: Client, moderator: Client, mentor: Person
) -> None:
    await moderator.op("SuspendMember", memberId=mentor.user_id, reason=REASON)
    await moderator.op("ReinstateMember", memberId=mentor.user_id, reason="Appeal upheld.")

    signed_in = (await anon.op("Login", email="mentor@example.org", password=PASSWORD)).data
    again = anon.signed_in(signed_in["login"]["token"], mentor.user_id)
    assert (await again.query(VIEWER)).data["viewer"] == {"id": mentor.user_id}


async def test_a_suspended_mentor_leaves_search_suggestions_and_requests_until_reinstated(
    app: Starlette, anon: Client, moderator: Client, mentor: Person, mentee: Person
) -> None:
    await new_mentor(anon, "second@example.org", "Sven Second")
    assert await found_in_search(anon) == {"Marta Mentor", "Sven Second"}
    assert await suggested(mentee) == {"Marta Mentor", "Sven Second"}

    await moderator.op("SuspendMember", memberId=mentor.user_id, reason=REASON)

    assert await found_in_search(anon) == {"Sven Second"}
    assert await suggested(mentee) == {"Sven Second"}
    score = (await mentee.client.op("MatchScore", mentorId=mentor.profile_id)).data["matchScore"]
    assert score["eligible"] is False
    asking = await mentee.client.op(
        "RequestMentoring", input={"mentorId": mentor.profile_id, "message": MESSAGE}
    )
    assert asking.code == "CONFLICT"

    await moderator.op("ReinstateMember", memberId=mentor.user_id, reason="Appeal upheld.")

    assert await found_in_search(anon) == {"Marta Mentor", "Sven Second"}
    assert await suggested(mentee) == {"Marta Mentor", "Sven Second"}


async def test_open_requests_made_and_received_are_withdrawn_and_stay_so(
    app: Starlette,
    anon: Client,
    moderator: Client,
    mentor: Person,
    mentee: Person,
    clock: FakeClock,
) -> None:
    # The mentor suspended also mentors: a request they received, and one they made.
    asking = await new_mentee(anon, "asking@example.org", "Asta Asking")
    other_mentor = await new_mentor(anon, "other@example.org", "Olaf Other")
    received = await request(asking, mentor)
    await act(mentor, "SaveMenteeProfile", input=MENTEE_PROFILE)
    made = await request(Person(mentor.client, ""), other_mentor)
    accepted = await request(mentee, mentor)
    await act(mentor, "AcceptRequest", relationshipId=accepted)

    await moderator.op("SuspendMember", memberId=mentor.user_id, reason=REASON)
    await moderator.op("ReinstateMember", memberId=mentor.user_id, reason="Appeal upheld.")

    assert await status_of(asking, received) == "WITHDRAWN"
    assert await status_of(other_mentor, made) == "WITHDRAWN"
    # Running relationships go on: only open requests are withdrawn.
    assert await status_of(mentee, accepted) == "ACCEPTED"
