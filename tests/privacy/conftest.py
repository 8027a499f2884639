"""Privacy tests run the app under a real uvicorn, as the messaging tests do:
blocks and erasure end live sockets and tell partners over viewer events."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import Settings
from tests.clock import FakeClock
from tests.live_fixtures import anon, clock, live_settings, mentee, mentor, server
from tests.people import MENTOR_PROFILE, Person, new_mentee
from tests.support import Client

__all__ = ["anon", "clock", "mentee", "mentor", "server"]


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return live_settings(tmp_path, clock)


@pytest.fixture
async def outsider(anon: Client) -> Person:
    """Someone with both profiles, in no relationship with the others."""
    person = await new_mentee(anon, "outsider@example.org", "Otto Outsider")
    await person.client.op("SaveMentorProfile", input=MENTOR_PROFILE)
    return person
