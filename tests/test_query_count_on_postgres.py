"""The list reads of `tests.test_query_count` again, on PostgreSQL.

Their hand-written SQL (VALUES lists joined to messages) must mean the same
on both engines; the tests are collected a second time with a PostgreSQL
database behind the app.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app import Settings
from tests.clock import FakeClock
from tests.postgres import scratch_database
from tests.support import NoRateLimits, settings_for
from tests.test_query_count import (
    clock,
    test_a_conversation_page_costs_the_same_for_1_and_50_messages,
    test_my_relationships_costs_the_same_for_1_and_20,
    test_search_and_suggestions_cost_the_same_for_1_and_several_mentors,
    world,
)

pytestmark = pytest.mark.services

__all__ = [
    "clock",
    "test_a_conversation_page_costs_the_same_for_1_and_50_messages",
    "test_my_relationships_costs_the_same_for_1_and_20",
    "test_search_and_suggestions_cost_the_same_for_1_and_several_mentors",
    "world",
]


@pytest.fixture
async def settings(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Settings]:
    async with scratch_database(migrated=True) as url:
        yield settings_for(tmp_path, clock=clock, database_url=url, rate_limiter=NoRateLimits())
