"""Sending, idempotency and live delivery again, on PostgreSQL.

The send path is hand-written SQL (`UPDATE ... RETURNING` takes the seq and
checks the status in one statement) and PostgreSQL really runs sends at the
same time, so the SQLite tests are collected a second time with a scratch
PostgreSQL database behind the app (the `settings` fixture below overrides
the package's).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app import Settings
from tests.messaging.test_concurrent_sends import (
    test_hundreds_of_concurrent_sends_all_land_once_in_one_order,
)
from tests.messaging.test_conversation import (
    test_a_client_message_id_is_the_senders_own_across_conversations,
    test_racing_identical_sends_add_one_message,
    test_sending_elsewhere_is_a_conflict,
    test_the_same_client_message_id_returns_the_first_message,
)
from tests.messaging.test_live import test_resuming_after_a_reconnect_loses_and_doubles_nothing
from tests.relationships.clock import FakeClock
from tests.relationships.postgres import scratch_database
from tests.support import NoRateLimits, settings_for

pytestmark = pytest.mark.services

__all__ = [
    "test_a_client_message_id_is_the_senders_own_across_conversations",
    "test_hundreds_of_concurrent_sends_all_land_once_in_one_order",
    "test_racing_identical_sends_add_one_message",
    "test_resuming_after_a_reconnect_loses_and_doubles_nothing",
    "test_sending_elsewhere_is_a_conflict",
    "test_the_same_client_message_id_returns_the_first_message",
]


@pytest.fixture
async def settings(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Settings]:
    async with scratch_database() as url:
        yield settings_for(tmp_path, clock=clock, database_url=url, rate_limiter=NoRateLimits())
