from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette

from app import Settings
from tests.clock import TOKENS_FOR_YEARS, FakeClock
from tests.moderation.helpers import moderator_client
from tests.people import Person, new_mentee, new_mentor
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
async def moderator(app: Starlette, anon: Client) -> Client:
    return await moderator_client(app, anon)


@pytest.fixture
async def mentor(anon: Client) -> Person:
    return await new_mentor(anon, "mentor@example.org", "Marta Mentor")


@pytest.fixture
async def mentee(anon: Client) -> Person:
    return await new_mentee(anon, "mentee@example.org", "Mika Mentee")
