"""Messaging again on PostgreSQL, where sends really run in parallel.

The send path is hand-written SQL (there, `UPDATE ... RETURNING` locks the
relationship's row, checks it is still open and takes the seq), so the
SQLite tests of order, idempotency and live delivery are collected a second
time with a scratch PostgreSQL database behind the live server (the
`settings` fixture below overrides the package's).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app import Settings
from tests.clock import FakeClock
from tests.messaging.test_concurrent_sends import (
    test_hundreds_of_concurrent_sends_all_land_once_in_one_order,
)
from tests.messaging.test_conversation import (
    test_a_client_message_id_is_the_senders_own_across_conversations,
    test_a_list_counts_each_relationships_unread_messages_on_its_own,
    test_messages_come_back_in_order_with_their_sender,
    test_paging_backwards_with_last_and_before_reaches_the_first_message,
    test_racing_identical_sends_add_one_message,
    test_sending_elsewhere_is_a_conflict,
    test_the_same_client_message_id_returns_the_first_message,
    test_unread_counts_and_the_last_message_follow_the_read_marker,
)
from tests.messaging.test_streams import (
    test_after_replays_every_later_message_then_streams,
    test_new_messages_stream_live_in_order,
    test_resuming_after_a_reconnect_loses_and_doubles_nothing,
)
from tests.postgres import scratch_database
from tests.support import NoRateLimits, settings_for

pytestmark = pytest.mark.services

__all__ = [
    "test_a_client_message_id_is_the_senders_own_across_conversations",
    "test_a_list_counts_each_relationships_unread_messages_on_its_own",
    "test_after_replays_every_later_message_then_streams",
    "test_hundreds_of_concurrent_sends_all_land_once_in_one_order",
    "test_messages_come_back_in_order_with_their_sender",
    "test_new_messages_stream_live_in_order",
    "test_paging_backwards_with_last_and_before_reaches_the_first_message",
    "test_racing_identical_sends_add_one_message",
    "test_resuming_after_a_reconnect_loses_and_doubles_nothing",
    "test_sending_elsewhere_is_a_conflict",
    "test_the_same_client_message_id_returns_the_first_message",
    "test_unread_counts_and_the_last_message_follow_the_read_marker",
]


@pytest.fixture
async def settings(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Settings]:
    async with scratch_database(migrated=True) as url:
        yield settings_for(tmp_path, clock=clock, database_url=url, rate_limiter=NoRateLimits())
