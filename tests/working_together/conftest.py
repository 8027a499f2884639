"""Working-together tests run the app under a real uvicorn in the test's event loop:
HTTP and WebSocket as clients use them, the calendar feed fetched by URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import Settings
from tests.clock import FakeClock
from tests.live_fixtures import anon, clock, live_settings, mentee, mentor, server
from tests.people import MENTOR_PROFILE, Person, new_mentee, reach
from tests.support import Client

__all__ = ["anon", "clock", "mentee", "mentor", "server"]


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return live_settings(tmp_path, clock, public_url="https://mentoring.example.org")


@pytest.fixture
async def outsider(anon: Client) -> Person:
    """Someone with both profiles, in no relationship with the others."""
    person = await new_mentee(anon, "outsider@example.org", "Otto Outsider")
    await person.client.op("SaveMentorProfile", input=MENTOR_PROFILE)
    return person


@pytest.fixture
async def together(mentor: Person, mentee: Person, clock: FakeClock) -> str:
    """An ACTIVE relationship between mentor and mentee: its id."""
    return await reach("ACTIVE", mentor, mentee, clock)
