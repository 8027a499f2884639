"""Suspension, reports and resolving again, on PostgreSQL.

The tests are the SQLite ones, collected a second time with a PostgreSQL
database behind the app (the `settings` fixture below overrides the
package's).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app import Settings
from tests.clock import TOKENS_FOR_YEARS, FakeClock
from tests.moderation.test_moderators import (
    test_dismissing_closes_the_report_and_logs_who_why_and_which,
    test_suspending_from_a_report_actions_it_and_suspends_the_member,
)
from tests.moderation.test_reports import (
    test_a_message_of_another_conversation_is_not_found_and_nothing_is_stored,
    test_a_report_keeps_exactly_the_attached_messages_for_moderators,
)
from tests.moderation.test_suspension import (
    test_a_suspended_mentor_leaves_search_suggestions_and_requests_until_reinstated,
    test_open_requests_made_and_received_are_withdrawn_and_stay_so,
    test_the_suspended_members_token_stops_working_and_sign_in_answers_suspended,
)
from tests.postgres import scratch_database
from tests.support import NoRateLimits, settings_for

pytestmark = pytest.mark.services

__all__ = [
    "test_a_message_of_another_conversation_is_not_found_and_nothing_is_stored",
    "test_a_report_keeps_exactly_the_attached_messages_for_moderators",
    "test_a_suspended_mentor_leaves_search_suggestions_and_requests_until_reinstated",
    "test_dismissing_closes_the_report_and_logs_who_why_and_which",
    "test_open_requests_made_and_received_are_withdrawn_and_stay_so",
    "test_suspending_from_a_report_actions_it_and_suspends_the_member",
    "test_the_suspended_members_token_stops_working_and_sign_in_answers_suspended",
]


@pytest.fixture
async def settings(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Settings]:
    async with scratch_database(migrated=True) as url:
        yield settings_for(
            tmp_path,
            clock=clock,
            token_ttl=TOKENS_FOR_YEARS,
            database_url=url,
            rate_limiter=NoRateLimits(),
        )
