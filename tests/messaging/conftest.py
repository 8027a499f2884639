"""Messaging tests run the app under a real uvicorn in the test's event loop.

HTTP goes over the network like a client's, subscriptions over real
WebSockets (the `websockets` library), and the test can still look inside
the running app (its hub) to check that nothing is left behind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app import Settings
from tests.clock import FakeClock
from tests.live_fixtures import anon, clock, live_settings, mentee, mentor, server
from tests.people import Person, new_mentee, reach
from tests.support import Client

__all__ = ["anon", "clock", "mentee", "mentor", "server"]


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    # Every test's sockets come from 127.0.0.1: some hold more than the
    # per-address default at once.
    return live_settings(tmp_path, clock, max_websockets_per_address=1000)


@pytest.fixture
async def outsider(anon: Client) -> Person:
    return await new_mentee(anon, "outsider@example.org", "Otto Outsider")


@pytest.fixture
async def chat(mentor: Person, mentee: Person, clock: FakeClock) -> str:
    """An ACCEPTED relationship between mentor and mentee: its id."""
    return await reach("ACCEPTED", mentor, mentee, clock)
