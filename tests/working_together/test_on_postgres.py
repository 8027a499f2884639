"""Working together again on PostgreSQL, where transactions really overlap.

The SQLite tests of steps, meetings, the feed and the end of a relationship
are collected a second time with a scratch PostgreSQL database behind the
live server (the `settings` fixture below overrides the package's): among
them two overlapping confirmations at once, of which the members' row locks
let one through, and concurrent edits of one step.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app import Settings
from tests.clock import FakeClock
from tests.live_fixtures import live_settings
from tests.postgres import scratch_database
from tests.working_together.test_action_steps import (
    test_deleting_a_step_removes_it_for_both,
    test_edits_of_different_fields_by_both_partners_both_stay,
    test_either_participant_adds_steps_that_both_see_in_due_order,
    test_outsiders_get_not_found_for_everything,
)
from tests.working_together.test_calendar_feed import (
    test_a_cancellation_shows_as_cancelled_with_the_next_sequence,
    test_a_second_independent_parser_reads_the_same_events,
    test_if_none_match_answers_304_until_something_changes,
    test_meetings_older_than_90_days_leave_the_feed,
    test_reset_makes_a_new_url_and_the_old_one_404s_at_once,
)
from tests.working_together.test_ending import (
    test_completion_cancels_the_meetings_after_the_end,
    test_ending_early_cancels_proposed_and_confirmed_meetings_to_come,
)
from tests.working_together.test_meetings import (
    test_confirming_over_a_meeting_confirmed_meanwhile_is_a_conflict,
    test_of_two_overlapping_meetings_confirmed_at_once_one_is_a_conflict,
    test_overlapping_the_partners_meeting_elsewhere_is_a_conflict_without_details,
    test_the_other_side_confirms_and_both_see_it,
    test_the_partner_hears_of_every_step_and_meeting_live,
)

pytestmark = pytest.mark.services

__all__ = [
    "test_a_cancellation_shows_as_cancelled_with_the_next_sequence",
    "test_a_second_independent_parser_reads_the_same_events",
    "test_completion_cancels_the_meetings_after_the_end",
    "test_confirming_over_a_meeting_confirmed_meanwhile_is_a_conflict",
    "test_deleting_a_step_removes_it_for_both",
    "test_edits_of_different_fields_by_both_partners_both_stay",
    "test_either_participant_adds_steps_that_both_see_in_due_order",
    "test_ending_early_cancels_proposed_and_confirmed_meetings_to_come",
    "test_if_none_match_answers_304_until_something_changes",
    "test_meetings_older_than_90_days_leave_the_feed",
    "test_of_two_overlapping_meetings_confirmed_at_once_one_is_a_conflict",
    "test_outsiders_get_not_found_for_everything",
    "test_overlapping_the_partners_meeting_elsewhere_is_a_conflict_without_details",
    "test_reset_makes_a_new_url_and_the_old_one_404s_at_once",
    "test_the_other_side_confirms_and_both_see_it",
    "test_the_partner_hears_of_every_step_and_meeting_live",
]


@pytest.fixture
async def settings(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Settings]:
    async with scratch_database(migrated=True) as url:
        yield live_settings(
            tmp_path, clock, database_url=url, public_url="https://mentoring.example.org"
        )
