"""The races and the lifecycle again, on PostgreSQL, where transactions really overlap.

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
from tests.postgres import scratch_database
from tests.relationships.test_agreements import (
    test_a_list_shows_each_relationship_once_with_its_current_terms,
)
from tests.relationships.test_capacity import (
    test_concurrent_accepts_never_exceed_capacity,
    test_concurrent_accepts_of_one_request_accept_it_once,
)
from tests.relationships.test_lifecycle import (
    test_request_accept_agree_complete_and_give_feedback,
)
from tests.relationships.test_requests import (
    test_concurrent_requests_still_hold_the_limit_of_three,
)
from tests.relationships.test_settling import (
    test_the_sweep_expires_requests_nobody_reads_and_reports_the_events,
)
from tests.security.test_contact_links import (
    test_the_latest_relationship_decides_not_an_earlier_completed_one,
)
from tests.security.test_requests_after_decline import (
    test_a_declined_mentee_waits_90_days_before_asking_again,
)
from tests.support import settings_for

pytestmark = pytest.mark.services

__all__ = [
    "test_a_declined_mentee_waits_90_days_before_asking_again",
    "test_a_list_shows_each_relationship_once_with_its_current_terms",
    "test_concurrent_accepts_never_exceed_capacity",
    "test_concurrent_accepts_of_one_request_accept_it_once",
    "test_concurrent_requests_still_hold_the_limit_of_three",
    "test_request_accept_agree_complete_and_give_feedback",
    "test_the_latest_relationship_decides_not_an_earlier_completed_one",
    "test_the_sweep_expires_requests_nobody_reads_and_reports_the_events",
]


@pytest.fixture
async def settings(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Settings]:
    async with scratch_database(migrated=True) as url:
        yield settings_for(tmp_path, clock=clock, token_ttl=TOKENS_FOR_YEARS, database_url=url)
