"""Fixtures of the packages whose tests run the app under a real uvicorn in the test's
event loop (tests/messaging, tests/working_together, tests/privacy): the clock, the server, an
anonymous client over the network, and the mentor and mentee who use it.

A package's conftest imports the fixtures it shares (naming them in `__all__`)
and defines its own `settings`, usually through `live_settings`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import Settings
from tests.clock import TOKENS_FOR_YEARS, FakeClock
from tests.live import LiveServer, serve
from tests.people import Person, new_mentee, new_mentor
from tests.support import Client, NoRateLimits, settings_for


def live_settings(tmp_path: Path, clock: FakeClock, **overrides: Any) -> Settings:
    """Settings on the test's clock, with tokens that outlive it and no rate limits."""
    values: dict[str, Any] = {
        "clock": clock,
        "token_ttl": TOKENS_FOR_YEARS,
        "rate_limiter": NoRateLimits(),
        **overrides,
    }
    return settings_for(tmp_path, **values)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


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
