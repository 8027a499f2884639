"""Relationships shape suggestions: the contract's hard filters over HTTP.

No mentor with an open or active relationship with the mentee, none who
declined the mentee in the last 90 days; matchScore says why, and the top-k
of mentorSuggestions agrees with it.
"""

from __future__ import annotations

from typing import Any

from tests.clock import FakeClock
from tests.people import Person, act, reach, request

OPEN = "You already have an open request or a mentoring with this mentor."
DECLINED = "This mentor declined your request less than 90 days ago."
MATCH = """
query Match($mentorId: ID!) {
  matchScore(mentorId: $mentorId) { eligible exclusions }
}
"""


async def suggested(mentee: Person) -> list[str]:
    data = (await mentee.client.op("MentorSuggestions", first=50)).data
    return [item["mentor"]["id"] for item in data["mentorSuggestions"]]


async def match(mentee: Person, mentor: Person) -> dict[str, Any]:
    result: dict[str, Any] = (
        await mentee.client.query(MATCH, {"mentorId": mentor.profile_id})
    ).data["matchScore"]
    return result


async def test_an_open_request_hides_the_mentor_until_it_is_withdrawn(
    mentor: Person, mentee: Person
) -> None:
    assert mentor.profile_id in await suggested(mentee)
    relationship_id = await request(mentee, mentor)

    assert mentor.profile_id not in await suggested(mentee)
    assert await match(mentee, mentor) == {"eligible": False, "exclusions": [OPEN]}

    await act(mentee, "WithdrawRequest", relationshipId=relationship_id)
    assert mentor.profile_id in await suggested(mentee)
    assert (await match(mentee, mentor))["eligible"] is True


async def test_an_expired_request_no_longer_hides_the_mentor(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    await request(mentee, mentor)

    clock.advance(days=14, seconds=1)

    assert mentor.profile_id in await suggested(mentee)


async def test_an_active_mentoring_hides_the_mentor_until_it_ends(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await reach("ACTIVE", mentor, mentee, clock)
    assert await match(mentee, mentor) == {"eligible": False, "exclusions": [OPEN]}

    await act(mentee, "EndRelationship", relationshipId=relationship_id, reason="Done early")

    assert mentor.profile_id in await suggested(mentee)


async def test_a_decline_hides_the_mentor_for_90_days(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await request(mentee, mentor)
    await act(mentor, "DeclineRequest", relationshipId=relationship_id, reason="No time")

    clock.advance(days=89)
    assert mentor.profile_id not in await suggested(mentee)
    assert await match(mentee, mentor) == {"eligible": False, "exclusions": [DECLINED]}

    clock.advance(days=1, seconds=1)
    assert mentor.profile_id in await suggested(mentee)
    assert (await match(mentee, mentor))["eligible"] is True


async def test_another_mentees_relationships_do_not_matter(
    mentor: Person, mentee: Person, outsider: Person
) -> None:
    relationship_id = await request(outsider, mentor)
    await act(mentor, "DeclineRequest", relationshipId=relationship_id, reason="Full")

    assert mentor.profile_id in await suggested(mentee)
