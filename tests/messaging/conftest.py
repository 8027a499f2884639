"""Messaging tests run the app under a real uvicorn in the test's event loop.

HTTP goes over the network like a client's, subscriptions over real
WebSockets (the `websockets` library), and the test can still look inside
the running app (its hub) to check that nothing is left behind.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app import Settings
from tests.clock import TOKENS_FOR_YEARS, FakeClock
from tests.live import LiveServer, serve
from tests.people import Person, new_mentee, new_mentor, reach
from tests.support import Client, NoRateLimits, settings_for


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    # Every test's sockets come from 127.0.0.1: some hold more than the
    # per-address default at once.
    return settings_for(
        tmp_path,
        clock=clock,
        token_ttl=TOKENS_FOR_YEARS,
        rate_limiter=NoRateLimits(),
        max_websockets_per_address=1000,
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
    return await new_mentee(anon, "outsider@example.org", "Otto Outsider")


@pytest.fixture
async def chat(mentor: Person, mentee: Person, clock: FakeClock) -> str:
    """An ACCEPTED relationship between mentor and mentee: its id."""
    return await reach("ACCEPTED", mentor, mentee, clock)
