"""A mentor's capacity holds, even when accepts arrive at the same moment."""

from __future__ import annotations

import asyncio

from orm.models import MentorProfile
from tests.clock import FakeClock
from tests.people import Person, act, new_mentee, new_mentor, request, status_of
from tests.support import Client, key_of


async def mentee_count(mentor: Person) -> int:
    return (await MentorProfile.get(id=key_of(mentor.profile_id))).mentee_count


async def test_concurrent_accepts_never_exceed_capacity(anon: Client) -> None:
    mentor = await new_mentor(anon, "one@example.org", "One Place", capacity=1)
    mentees = [await new_mentee(anon, f"e{i}@example.org", f"Mentee {i}") for i in range(3)]
    ids = [await request(mentee, mentor) for mentee in mentees]

    replies = await asyncio.gather(
        *(mentor.client.op("AcceptRequest", relationshipId=rid) for rid in ids)
    )

    accepted = [reply for reply in replies if not reply.body.get("errors")]
    refused = [reply for reply in replies if reply.body.get("errors")]
    assert len(accepted) == 1
    assert [reply.code for reply in refused] == ["CONFLICT", "CONFLICT"]
    assert await mentee_count(mentor) == 1
    statuses = sorted([await status_of(mentor, rid) for rid in ids])
    assert statuses == ["ACCEPTED", "REQUESTED", "REQUESTED"]


async def test_concurrent_accepts_of_one_request_accept_it_once(
    mentor: Person, mentee: Person
) -> None:
    relationship_id = await request(mentee, mentor)

    replies = await asyncio.gather(
        *(mentor.client.op("AcceptRequest", relationshipId=relationship_id) for _ in range(3))
    )

    assert sum(not reply.body.get("errors") for reply in replies) == 1
    assert await mentee_count(mentor) == 1


async def test_ending_a_relationship_frees_its_place(anon: Client, clock: FakeClock) -> None:
    mentor = await new_mentor(anon, "one@example.org", "One Place", capacity=1)
    first, second = [await new_mentee(anon, f"e{i}@example.org", f"Mentee {i}") for i in (1, 2)]
    first_id, second_id = await request(first, mentor), await request(second, mentor)
    await act(mentor, "AcceptRequest", relationshipId=first_id)

    reply = await mentor.client.op("AcceptRequest", relationshipId=second_id)
    assert reply.code == "CONFLICT"
    assert "no free place" in reply.errors[0]["message"]

    await act(first, "EndRelationship", relationshipId=first_id)
    await act(mentor, "AcceptRequest", relationshipId=second_id)
    assert await mentee_count(mentor) == 1


async def test_declined_withdrawn_and_expired_requests_take_no_place(
    anon: Client, mentor: Person, clock: FakeClock
) -> None:
    mentees = [await new_mentee(anon, f"e{i}@example.org", f"Mentee {i}") for i in range(3)]
    ids = [await request(mentee, mentor) for mentee in mentees]
    await act(mentor, "DeclineRequest", relationshipId=ids[0])
    await act(mentees[1], "WithdrawRequest", relationshipId=ids[1])
    clock.advance(days=15)
    assert await status_of(mentor, ids[2]) == "EXPIRED"

    assert await mentee_count(mentor) == 0
    profile = await act(mentor, "MentorProfile", id=mentor.profile_id)
    assert profile["mentor"]["acceptingMentees"] is True
