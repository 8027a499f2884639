"""Moderation tests run the app in-process; the people and the clock are the live tests'."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette

from app import Settings
from tests.clock import FakeClock
from tests.live_fixtures import clock, live_settings, mentee, mentor
from tests.moderation.helpers import moderator_client
from tests.support import Client

__all__ = ["clock", "mentee", "mentor"]


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return live_settings(tmp_path, clock)


@pytest.fixture
async def moderator(app: Starlette, anon: Client) -> Client:
    return await moderator_client(app, anon)
