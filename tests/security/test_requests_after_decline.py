"""After a decline, the same mentee may not request the same mentor for 90 days.

The rule is the one the suggestions apply (`orm.blocking`): a request and a
match score agree on it at every moment.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app import Settings
from orm.models import Relationship
from tests.clock import TOKENS_FOR_YEARS, FakeClock
from tests.people import Person, act, new_mentee, new_mentor, reach, request
from tests.support import Client, NoRateLimits, settings_for

ELIGIBILITY = """
query Eligibility($mentorId: ID!) { matchScore(mentorId: $mentorId) { eligible exclusions } }
"""


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return settings_for(
        tmp_path, clock=clock, token_ttl=TOKENS_FOR_YEARS, rate_limiter=NoRateLimits()
    )


async def ask(mentee: Person, mentor: Person) -> str:
    reply = await mentee.client.op(
        "RequestMentoring", input={"mentorId": mentor.profile_id, "message": "x" * 60}
    )
    return "OK" if not reply.body.get("errors") else reply.code


async def eligible(mentee: Person, mentor: Person) -> bool:
    reply = await mentee.client.query(ELIGIBILITY, {"mentorId": mentor.profile_id})
    result: bool = reply.data["matchScore"]["eligible"]
    return result


async def test_a_declined_mentee_waits_90_days_before_asking_again(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    await reach("DECLINED", mentor, mentee, clock)

    assert await ask(mentee, mentor) == "CONFLICT"
    assert not await eligible(mentee, mentor)

    clock.advance(days=89, hours=23)
    assert await ask(mentee, mentor) == "CONFLICT"
    assert not await eligible(mentee, mentor)

    clock.advance(hours=1, seconds=1)
    assert await eligible(mentee, mentor)
    assert await ask(mentee, mentor) == "OK"
    assert await Relationship.filter(status="REQUESTED").count() == 1


async def test_repeated_requests_after_a_decline_store_nothing(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    await reach("DECLINED", mentor, mentee, clock)

    answers = [await ask(mentee, mentor) for _ in range(5)]

    assert answers == ["CONFLICT"] * 5
    assert await Relationship.all().count() == 1


async def test_a_decline_blocks_only_that_pair(
    anon: Client, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    other_mentor = await new_mentor(anon, "other@example.org", "Olga Other")
    other_mentee = await new_mentee(anon, "second@example.org", "Sam Second")
    await reach("DECLINED", mentor, mentee, clock)

    assert await ask(mentee, other_mentor) == "OK"
    assert await ask(other_mentee, mentor) == "OK"


async def test_a_withdrawn_or_expired_request_does_not_block(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    await reach("WITHDRAWN", mentor, mentee, clock)
    assert await ask(mentee, mentor) == "OK"

    clock.advance(days=15)  # the new request expires
    assert await ask(mentee, mentor) == "OK"


async def test_an_earlier_decline_still_counts_after_a_later_mentoring(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await request(mentee, mentor)
    await act(mentor, "DeclineRequest", relationshipId=relationship_id)
    clock.advance(days=91)
    again = await request(mentee, mentor)
    await act(mentor, "DeclineRequest", relationshipId=again)

    assert await ask(mentee, mentor) == "CONFLICT"
