"""A mentor profile that is not complete is visible to its owner alone.

Ids enumerate, so every read by id checks visibility: `mentor(id)`,
`matchScore(mentorId)` and `requestMentoring(mentorId)` answer NOT_FOUND
for someone else's incomplete profile, as for one that does not exist.
Mentee profiles have no read by id: they show only inside a relationship,
to its participants.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import Settings
from orm.models import Relationship
from tests.clock import FakeClock
from tests.people import MENTOR_PROFILE, MESSAGE, Person, new_mentor
from tests.support import Client, NoRateLimits, settings_for

SCORE = "query Score($mentorId: ID!) { matchScore(mentorId: $mentorId) { eligible mentor { id } } }"
INCOMPLETE: dict[str, Any] = {"headline": "Not ready yet", "bio": "Draft", "topics": []}


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return settings_for(tmp_path, clock=clock, rate_limiter=NoRateLimits())


@pytest.fixture
async def draft(anon: Client) -> Person:
    """A mentor whose profile is not complete."""
    client = await anon.register("draft@example.org", "Dora Draft")
    saved = (await client.op("SaveMentorProfile", input=INCOMPLETE)).data["saveMentorProfile"]
    assert saved["completeness"]["isComplete"] is False
    return Person(client, saved["id"])


async def test_only_the_owner_reads_an_incomplete_mentor_profile(
    anon: Client, draft: Person, mentee: Person
) -> None:
    as_owner = await draft.client.op("MentorProfile", id=draft.profile_id)
    as_anyone = await anon.op("MentorProfile", id=draft.profile_id)
    as_mentee = await mentee.client.op("MentorProfile", id=draft.profile_id)

    assert as_owner.data["mentor"]["headline"] == "Not ready yet"
    assert as_anyone.code == "NOT_FOUND"
    assert as_mentee.code == "NOT_FOUND"
    assert (
        as_anyone.errors[0]["message"]
        == (await anon.op("MentorProfile", id="9999")).errors[0]["message"]
    )


async def test_a_match_score_of_an_incomplete_mentor_is_not_found(
    draft: Person, mentee: Person
) -> None:
    reply = await mentee.client.query(SCORE, {"mentorId": draft.profile_id})

    assert reply.code == "NOT_FOUND"


async def test_requesting_an_incomplete_mentor_is_not_found(draft: Person, mentee: Person) -> None:
    reply = await mentee.client.op(
        "RequestMentoring", input={"mentorId": draft.profile_id, "message": MESSAGE}
    )

    assert reply.code == "NOT_FOUND"
    assert await Relationship.all().count() == 0


async def test_a_profile_hides_again_when_it_stops_being_complete(
    anon: Client, mentee: Person
) -> None:
    mentor = await new_mentor(anon, "mentor@example.org", "Marta Mentor")
    assert (await anon.op("MentorProfile", id=mentor.profile_id)).data["mentor"]

    await mentor.client.op("SaveMentorProfile", input={"topics": []})

    assert (await anon.op("MentorProfile", id=mentor.profile_id)).code == "NOT_FOUND"
    assert (await mentee.client.query(SCORE, {"mentorId": mentor.profile_id})).code == "NOT_FOUND"
    assert (await mentor.client.op("MentorProfile", id=mentor.profile_id)).data["mentor"]


async def test_the_owner_still_scores_their_own_incomplete_profile(draft: Person) -> None:
    await draft.client.op("SaveMenteeProfile", input=MENTEE_FOR_DRAFT)

    reply = await draft.client.query(SCORE, {"mentorId": draft.profile_id})

    assert reply.data["matchScore"]["eligible"] is False


MENTEE_FOR_DRAFT: dict[str, Any] = {
    **{key: value for key, value in MENTOR_PROFILE.items() if key in ("country", "languages")},
    "headline": "Also a mentee",
    "bio": "Learning too.",
    "fieldOfStudy": "Physics",
    "situation": "CAREER_ENTRY",
    "goals": "Find a first research job.",
    "topics": ["CAREER_PLANNING"],
}
