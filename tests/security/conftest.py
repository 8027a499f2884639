"""The people most probes need: a mentor, a mentee and an outsider, on a clock tests move.

Each probe module keeps its own `settings` (with or without rate limits), so
that what it attacks is configured where the attack is written.
"""

from __future__ import annotations

import pytest

from tests.clock import FakeClock
from tests.relationships.helpers import MENTOR_PROFILE, Person, new_mentee, new_mentor
from tests.support import Client


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def mentor(anon: Client) -> Person:
    return await new_mentor(anon, "mentor@example.org", "Marta Mentor")


@pytest.fixture
async def mentee(anon: Client) -> Person:
    return await new_mentee(anon, "mentee@example.org", "Mika Mentee")


@pytest.fixture
async def outsider(anon: Client) -> Person:
    """Someone with both profiles, in no relationship with the others."""
    person = await new_mentee(anon, "outsider@example.org", "Otto Outsider")
    await person.client.op("SaveMentorProfile", input=MENTOR_PROFILE)
    return person
