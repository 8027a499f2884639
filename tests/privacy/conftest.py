"""Privacy tests run the app under a real uvicorn, as the messaging tests do:
blocks and erasure end live sockets and tell partners over viewer events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app import Settings
from tests.clock import TOKENS_FOR_YEARS, FakeClock
from tests.live import LiveServer, serve
from tests.people import MENTOR_PROFILE, Person, new_mentee, new_mentor
from tests.support import Client, NoRateLimits, settings_for


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return settings_for(
        tmp_path, clock=clock, token_ttl=TOKENS_FOR_YEARS, rate_limiter=NoRateLimits()
    )


@pytest.fixture
async def server(settings: Settings) -> AsyncIterator[LiveServer]:
    async with serve(settings) as running:
        yield running


@pytest.fixture
async def anon(server: LiveServer) -> AsyncIterator[Client]:
    async with httpx.AsyncClient(base_url=server.http_url) as http:
        yield Client(http=http)


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
