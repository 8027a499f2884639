"""Contact links: the partner sees them while ACCEPTED, ACTIVE or COMPLETED; nobody else, ever."""

from __future__ import annotations

import pytest

from tests.clock import FakeClock
from tests.people import (
    MENTEE_PROFILE,
    MENTOR_PROFILE,
    Person,
    reach,
    seen_by,
)

VISIBLE_WHILE_WORKING_TOGETHER = {
    "REQUESTED": False,
    "DECLINED": False,
    "WITHDRAWN": False,
    "EXPIRED": False,
    "ACCEPTED": True,
    "ACTIVE": True,
    "COMPLETED": True,
    "ENDED": False,
}


async def mentor_links_as_seen_by(person: Person, mentor: Person) -> list[dict[str, str]]:
    reply = await person.client.op("MentorProfile", id=mentor.profile_id)
    links: list[dict[str, str]] = reply.data["mentor"]["contactLinks"]
    return links


@pytest.mark.parametrize(("status", "visible"), VISIBLE_WHILE_WORKING_TOGETHER.items())
async def test_partners_see_each_others_contact_links_while_accepted_active_or_completed(
    mentor: Person, mentee: Person, outsider: Person, clock: FakeClock, status: str, visible: bool
) -> None:
    relationship_id = await reach(status, mentor, mentee, clock)

    as_mentor = await seen_by(mentor, relationship_id)
    as_mentee = await seen_by(mentee, relationship_id)

    assert as_mentor["mentee"]["contactLinks"] == (
        MENTEE_PROFILE["contactLinks"] if visible else []
    )
    assert as_mentee["mentor"]["contactLinks"] == (
        MENTOR_PROFILE["contactLinks"] if visible else []
    )
    assert await mentor_links_as_seen_by(mentee, mentor) == as_mentee["mentor"]["contactLinks"]
    assert await mentor_links_as_seen_by(outsider, mentor) == []
    # Each side still sees its own links through the relationship.
    assert as_mentor["mentor"]["contactLinks"] == MENTOR_PROFILE["contactLinks"]


async def test_a_mentor_reads_the_requesting_mentees_profile(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await reach("REQUESTED", mentor, mentee, clock)

    seen = await seen_by(mentor, relationship_id)

    assert seen["mentee"]["headline"] == MENTEE_PROFILE["headline"]
    assert seen["mentee"]["displayName"] == "Mika Mentee"
