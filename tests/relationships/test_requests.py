"""Requests: who may ask whom, the message, and request hygiene."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.applications import Starlette

from orm.messages import body_of
from orm.models import MentorProfile, Message, Relationship
from resolvers.ratelimit import POLICIES
from tests.clock import START, FakeClock
from tests.people import (
    MENTOR_PROFILE,
    MESSAGE,
    Person,
    act,
    new_mentee,
    new_mentor,
    request,
    seen_by,
)
from tests.support import Client, key_of


async def ask(mentee: Person, mentor: Person, **overrides: Any) -> Any:
    values = {"mentorId": mentor.profile_id, "message": MESSAGE, **overrides}
    return await mentee.client.op("RequestMentoring", input=values)


async def test_the_message_becomes_the_first_message_of_the_conversation(
    mentor: Person, mentee: Person, app: Starlette
) -> None:
    relationship_id = await request(
        mentee, mentor, message=f"  {MESSAGE}\n", topics=["NETWORKING"], goals="A first job."
    )

    messages = await Message.filter(relationship_id=key_of(relationship_id))
    keys = app.state.services.message_keys
    assert [(body_of(m, keys), m.sender_id, m.created_at, m.seq) for m in messages] == [
        (MESSAGE, key_of(mentee.user_id), START, 1)
    ]
    seen = await seen_by(mentor, relationship_id)
    assert seen["requestMessage"] == MESSAGE
    assert seen["requestTopics"] == ["NETWORKING"]
    assert seen["requestGoals"] == "A first job."


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("message", "x" * 49),
        ("message", "   " + "x" * 49 + "   "),
        ("message", "x" * 4001),
        ("message", "nul\x00" + "x" * 60),
        ("goals", "x" * 2001),
    ],
)
async def test_bad_input_names_the_field_and_stores_nothing(
    mentor: Person, mentee: Person, field: str, value: str
) -> None:
    reply = await ask(mentee, mentor, **{field: value})

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == field
    assert await Relationship.all().count() == 0


async def test_the_message_may_have_50_to_4000_characters(
    anon: Client, mentor: Person, mentee: Person
) -> None:
    other = await new_mentor(anon, "second@example.org", "Sam Second")

    assert (await ask(mentee, mentor, message="x" * 50)).data
    assert (await ask(mentee, other, message="y" * 4000)).data


async def test_requesting_needs_a_complete_mentee_profile(anon: Client, mentor: Person) -> None:
    nobody = Person(await anon.register("new@example.org"), "")
    reply = await ask(nobody, mentor)
    assert reply.code == "PROFILE_INCOMPLETE"
    assert "goals" in reply.errors[0]["extensions"]["missingFields"]

    partial = await new_mentee(anon, "partial@example.org", "Pat", goals=None)
    reply = await ask(partial, mentor)
    assert reply.code == "PROFILE_INCOMPLETE"
    assert reply.errors[0]["extensions"]["missingFields"] == ["goals"]


async def test_a_mentor_not_accepting_mentees_cannot_be_requested(
    anon: Client, mentee: Person
) -> None:
    mentor = await new_mentor(anon, "m@example.org", "M", acceptingMentees=False)

    assert (await ask(mentee, mentor)).code == "CONFLICT"


async def test_an_incomplete_mentor_is_not_found_by_anyone_but_its_owner(
    anon: Client, mentee: Person
) -> None:
    mentor = await new_mentor(anon, "m@example.org", "M", bio=None)

    assert (await ask(mentee, mentor)).code == "NOT_FOUND"


async def test_a_mentor_at_capacity_cannot_be_requested(anon: Client, mentee: Person) -> None:
    mentor = await new_mentor(anon, "full@example.org", "Full", capacity=1)
    first = await new_mentee(anon, "first@example.org", "First")
    await act(mentor, "AcceptRequest", relationshipId=await request(first, mentor))

    assert (await ask(mentee, mentor)).code == "CONFLICT"


async def test_nobody_can_request_their_own_mentor_profile(mentee: Person) -> None:
    saved = await act(mentee, "SaveMentorProfile", input=MENTOR_PROFILE)
    own = Person(mentee.client, saved["saveMentorProfile"]["id"])

    assert (await ask(mentee, own)).code == "CONFLICT"


@pytest.mark.parametrize("mentor_id", ["424242", "mentor-1"])
async def test_an_unknown_mentor_is_not_found(mentee: Person, mentor_id: str) -> None:
    assert (await ask(mentee, Person(mentee.client, mentor_id))).code == "NOT_FOUND"


async def test_one_open_request_per_mentor_and_none_while_working_together(
    mentor: Person, mentee: Person
) -> None:
    relationship_id = await request(mentee, mentor)
    assert (await ask(mentee, mentor)).code == "CONFLICT"

    await act(mentor, "AcceptRequest", relationshipId=relationship_id)
    assert (await ask(mentee, mentor)).code == "CONFLICT"

    await act(mentee, "EndRelationship", relationshipId=relationship_id)
    assert (await ask(mentee, mentor)).data


async def test_a_mentee_holds_at_most_three_open_requests(
    anon: Client, mentee: Person, clock: FakeClock
) -> None:
    mentors = [await new_mentor(anon, f"m{i}@example.org", f"Mentor {i}") for i in range(5)]
    opened = [await request(mentee, mentor) for mentor in mentors[:3]]

    reply = await ask(mentee, mentors[3])
    assert reply.code == "CONFLICT"
    assert "3 open requests" in reply.errors[0]["message"]

    await act(mentee, "WithdrawRequest", relationshipId=opened[0])
    await request(mentee, mentors[3])
    assert (await ask(mentee, mentors[4])).code == "CONFLICT"

    # Answered requests no longer count.
    await act(mentors[1], "DeclineRequest", relationshipId=opened[1])
    await request(mentee, mentors[4])


async def test_each_request_keeps_when_it_came_and_when_the_mentor_answered(
    anon: Client, mentor: Person, clock: FakeClock
) -> None:
    # What the mentor's responsiveness is computed from: answers, and hours to each.
    mentees = [await new_mentee(anon, f"e{i}@example.org", f"Mentee {i}") for i in range(4)]
    ids = [await request(person, mentor) for person in mentees]
    clock.advance(hours=5)
    await act(mentor, "AcceptRequest", relationshipId=ids[0])
    await act(mentor, "DeclineRequest", relationshipId=ids[1])
    await act(mentees[2], "WithdrawRequest", relationshipId=ids[2])

    rows = await Relationship.filter(mentor_id=key_of(mentor.profile_id)).order_by("id")
    assert [(row.status, row.created_at, row.responded_at) for row in rows] == [
        ("ACCEPTED", START, clock.now),
        ("DECLINED", START, clock.now),
        ("WITHDRAWN", START, None),
        ("REQUESTED", START, None),
    ]
    assert (await MentorProfile.get(id=key_of(mentor.profile_id))).mentee_count == 1


async def test_concurrent_requests_still_hold_the_limit_of_three(
    anon: Client, mentee: Person
) -> None:
    mentors = [await new_mentor(anon, f"m{i}@example.org", f"Mentor {i}") for i in range(5)]
    same = [mentors[0]] * 3

    replies = await asyncio.gather(*(ask(mentee, mentor) for mentor in [*mentors, *same]))

    assert sum(not reply.body.get("errors") for reply in replies) == 3
    assert {reply.code for reply in replies if reply.body.get("errors")} == {"CONFLICT"}
    assert await Relationship.filter(status="REQUESTED").count() == 3


async def test_requests_per_mentee_are_rate_limited_and_the_refused_one_stores_nothing(
    mentor: Person, mentee: Person
) -> None:
    for _ in range(POLICIES.mentoring_requests_per_user.limit):
        relationship_id = await request(mentee, mentor)
        await act(mentee, "WithdrawRequest", relationshipId=relationship_id)
    before = await Relationship.all().count()

    reply = await mentee.client.op(
        "RequestMentoring", input={"mentorId": mentor.profile_id, "message": MESSAGE}
    )

    assert reply.code == "RATE_LIMITED"
    assert reply.errors[0]["extensions"]["retryAfter"] >= 1
    assert await Relationship.all().count() == before
