from __future__ import annotations

from pathlib import Path

import pytest

from app import Settings
from tests.clock import TOKENS_FOR_YEARS, FakeClock
from tests.people import MENTOR_PROFILE, Person, new_mentee, new_mentor
from tests.support import Client, settings_for


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return settings_for(tmp_path, clock=clock, token_ttl=TOKENS_FOR_YEARS)


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
