"""Statuses that time decides: expiry after 14 days, COMPLETED after endsOn.

Reads and actions settle what they touch; the periodic sweep settles the
rest. The clock is moved, never waited for.
"""

from __future__ import annotations

import asyncio

from orm.models import MentorProfile, Relationship
from orm.vocabulary import EventKind
from resolvers import settling
from tests.clock import FakeClock
from tests.people import Person, activate, new_mentor, request, status_of
from tests.support import Client, key_of


async def stored_status(relationship_id: str) -> str:
    return (await Relationship.get(id=key_of(relationship_id))).status


async def test_an_unanswered_request_expires_after_14_days_on_read(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await request(mentee, mentor)
    clock.advance(days=14, seconds=-1)
    assert await status_of(mentee, relationship_id) == "REQUESTED"

    clock.advance(seconds=2)

    assert await status_of(mentee, relationship_id) == "EXPIRED"
    assert await stored_status(relationship_id) == "EXPIRED"


async def test_acting_on_an_expired_request_is_a_conflict(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await request(mentee, mentor)
    clock.advance(days=15)

    reply = await mentor.client.op("AcceptRequest", relationshipId=relationship_id)

    assert reply.code == "CONFLICT"
    assert "EXPIRED" in reply.errors[0]["message"]
    # The expiry stands although the action was refused.
    assert await stored_status(relationship_id) == "EXPIRED"


async def test_expired_requests_no_longer_count_against_the_mentee(
    anon: Client, mentee: Person, clock: FakeClock
) -> None:
    mentors = [await new_mentor(anon, f"m{i}@example.org", f"Mentor {i}") for i in range(4)]
    for mentor in mentors[:3]:
        await request(mentee, mentor)
    clock.advance(days=15)

    assert await request(mentee, mentors[3])
    # ...nor block a new request to the same mentor.
    assert await request(mentee, mentors[0])


async def test_the_sweep_expires_requests_nobody_reads_and_reports_the_events(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await request(mentee, mentor)
    clock.advance(days=15)

    transitions = await settling.sweep(clock)

    assert await stored_status(relationship_id) == "EXPIRED"
    assert [(t.relationship.id, t.event, t.at) for t in transitions] == [
        (key_of(relationship_id), EventKind.REQUEST_EXPIRED, clock.now)
    ]
    assert transitions[0].actor_id is None
    assert transitions[0].user_ids == (key_of(mentor.user_id), key_of(mentee.user_id))
    assert await settling.sweep(clock) == []


async def test_an_active_relationship_completes_after_its_last_day_and_frees_the_place(
    anon: Client, mentee: Person, clock: FakeClock
) -> None:
    mentor = await new_mentor(anon, "one@example.org", "One Place", capacity=1)
    relationship_id = await activate(mentor, mentee, clock, days=30)
    assert (await MentorProfile.get(id=key_of(mentor.profile_id))).mentee_count == 1

    clock.advance(days=30)
    assert await status_of(mentor, relationship_id) == "ACTIVE"
    clock.advance(days=1)
    transitions = await settling.sweep(clock)

    assert await stored_status(relationship_id) == "COMPLETED"
    assert [t.after.value for t in transitions] == ["COMPLETED"]
    assert (await MentorProfile.get(id=key_of(mentor.profile_id))).mentee_count == 0
    assert await status_of(mentee, relationship_id) == "COMPLETED"


async def test_completion_is_derived_on_read_before_any_sweep(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await activate(mentor, mentee, clock, days=10)
    clock.advance(days=11)

    reply = await mentee.client.query("{ myRelationships { id status } }")

    assert reply.data["myRelationships"] == [{"id": relationship_id, "status": "COMPLETED"}]


async def test_the_periodic_runner_survives_a_failing_run_and_stops_when_cancelled() -> None:
    runs: list[int] = []
    third_run = asyncio.Event()

    async def job() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("the database is away")
        if len(runs) == 3:
            third_run.set()

    runner = asyncio.create_task(settling.run_periodically(0, job))
    await asyncio.wait_for(third_run.wait(), timeout=5)
    runner.cancel()
    await asyncio.gather(runner, return_exceptions=True)

    assert runner.cancelled()
    assert len(runs) >= 3
