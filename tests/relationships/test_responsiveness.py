"""`Mentor.responsiveness` from the recorded answers, and the counters scoring reads."""

from __future__ import annotations

from typing import Any

from orm.models import MentorProfile
from tests.clock import FakeClock
from tests.people import (
    Person,
    act,
    new_mentee,
    new_mentor,
    request,
    status_of,
)
from tests.support import Client, key_of


async def responsiveness(viewer: Person, mentor: Person) -> dict[str, Any]:
    reply = await viewer.client.op("MentorProfile", id=mentor.profile_id)
    result: dict[str, Any] = reply.data["mentor"]["responsiveness"]
    return result


async def test_answers_count_expiries_do_not_and_withdrawals_are_left_out(
    anon: Client, clock: FakeClock
) -> None:
    mentor = await new_mentor(anon, "ruth@example.org", "Ruth Responsive", capacity=5)
    mentees = [await new_mentee(anon, f"m{i}@example.org", f"Mentee {i}") for i in range(6)]
    assert await responsiveness(mentees[0], mentor) == {
        "requestsAnswered": 0,
        "responseRate": None,
        "medianResponseHours": None,
    }
    accepted, declined, slow, withdrawn, expiring = [
        await request(mentee, mentor) for mentee in mentees[:5]
    ]

    clock.advance(hours=2)
    await act(mentor, "AcceptRequest", relationshipId=accepted)  # 2 h
    clock.advance(hours=10)
    await act(mentor, "DeclineRequest", relationshipId=declined)  # 12 h
    clock.advance(hours=60)
    await act(mentor, "AcceptRequest", relationshipId=slow)  # 72 h: not quick
    await act(mentees[3], "WithdrawRequest", relationshipId=withdrawn)
    late = await request(mentees[5], mentor)
    clock.advance(hours=5)
    await act(mentor, "AcceptRequest", relationshipId=late)  # 5 h

    # Waits of 2, 5, 12 and 72 hours: the median is the mean of 5 and 12.
    assert await responsiveness(mentees[0], mentor) == {
        "requestsAnswered": 4,
        "responseRate": 1.0,
        "medianResponseHours": 8.5,
    }

    clock.advance(days=15)
    assert await status_of(mentees[4], expiring) == "EXPIRED"

    assert await responsiveness(mentees[0], mentor) == {
        "requestsAnswered": 4,
        "responseRate": 0.8,
        "medianResponseHours": 8.5,
    }
    # What scoring reads agrees: five requests decided, three answered within 48 hours.
    row = await MentorProfile.get(id=key_of(mentor.profile_id))
    assert (row.requests_decided, row.answered_quickly) == (5, 3)


async def test_an_odd_count_has_the_middle_wait_as_median(
    anon: Client, mentor: Person, clock: FakeClock
) -> None:
    mentees = [await new_mentee(anon, f"o{i}@example.org", f"Odd {i}") for i in range(3)]
    relationship_ids = [await request(mentee, mentor) for mentee in mentees]
    for relationship_id, hours in zip(relationship_ids, (1.25, 30.5, 0.75), strict=True):
        clock.advance(hours=hours)
        await act(mentor, "DeclineRequest", relationshipId=relationship_id)

    # Each request was sent at the start: waits of 1.25, 31.75 and 32.5 hours.
    assert await responsiveness(mentees[0], mentor) == {
        "requestsAnswered": 3,
        "responseRate": 1.0,
        "medianResponseHours": 31.8,
    }
    row = await MentorProfile.get(id=key_of(mentor.profile_id))
    assert (row.requests_decided, row.answered_quickly) == (3, 3)


async def test_a_refused_answer_counts_nothing(anon: Client, mentor: Person) -> None:
    mentee = await new_mentee(anon, "twice@example.org", "Twice Tried")
    relationship_id = await request(mentee, mentor)
    await act(mentor, "AcceptRequest", relationshipId=relationship_id)

    again = await mentor.client.op("DeclineRequest", relationshipId=relationship_id)

    assert again.code == "CONFLICT"
    row = await MentorProfile.get(id=key_of(mentor.profile_id))
    assert (row.requests_decided, row.answered_quickly) == (1, 1)
