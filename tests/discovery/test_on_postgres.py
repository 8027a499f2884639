"""Discovery again on PostgreSQL: its own full-text search (tsvector) and the scoring query.

The tests are the SQLite ones, collected a second time with a PostgreSQL
database behind the app (the `settings` fixture below overrides the root
one).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest

from app import Settings
from orm import search_counts
from tests.discovery.support import mentor
from tests.discovery.test_blocks import (
    test_search_leaves_out_exactly_the_mentors_blocked_either_way,
    test_top_k_stays_exact_with_blocks_both_ways,
)
from tests.discovery.test_search_counts import (
    ASTRONOMY,
    test_a_bulk_load_reaches_the_count,
    test_a_change_written_by_another_process_reaches_the_count,
    test_a_count_follows_every_change_that_moves_a_mentor_in_or_out,
    test_a_count_is_kept_until_the_version_moves,
    test_a_mentor_leaves_the_count_while_not_findable_and_comes_back,
)
from tests.discovery.test_search_semantics import (
    test_a_text_search_pages_alike_however_far_a_page_reads_in_id_order,
    test_after_seeding_new_and_changed_mentors_are_indexed,
    test_no_filter_finds_every_complete_mentor_and_no_incomplete_one,
    test_paging_returns_every_match_once_whatever_the_page_size,
    test_random_filters_find_exactly_what_the_oracle_finds,
)
from tests.discovery.test_search_text import (
    test_case_and_diacritics_do_not_matter,
    test_every_word_must_occur_somewhere_in_the_five_fields,
    test_fields_outside_the_five_are_not_searched,
    test_fts_operators_do_not_widen_or_narrow_a_search,
    test_query_syntax_is_read_as_plain_words,
    test_the_index_follows_profile_and_name_changes,
    test_topic_and_language_filters_are_not_words,
    test_words_match_whole_not_as_prefixes,
)
from tests.discovery.test_standing import test_every_cell_read_seeks_the_standing_its_index_holds
from tests.discovery.test_suggestions import (
    test_each_hard_filter_keeps_a_mentor_out,
    test_reasons_explain_every_point_of_the_score,
)
from tests.discovery.test_top_k import (
    test_top_k_is_the_k_best_match_scores_for_many_mentees,
    test_top_k_stays_exact_for_flat_mentees_and_polyglot_mentors,
)
from tests.postgres import scratch_database
from tests.support import Client, NoRateLimits, key_of, settings_for

pytestmark = pytest.mark.services

__all__ = [
    "test_a_bulk_load_reaches_the_count",
    "test_a_change_written_by_another_process_reaches_the_count",
    "test_a_count_follows_every_change_that_moves_a_mentor_in_or_out",
    "test_a_count_is_kept_until_the_version_moves",
    "test_a_mentor_leaves_the_count_while_not_findable_and_comes_back",
    "test_a_text_search_pages_alike_however_far_a_page_reads_in_id_order",
    "test_after_seeding_new_and_changed_mentors_are_indexed",
    "test_case_and_diacritics_do_not_matter",
    "test_each_hard_filter_keeps_a_mentor_out",
    "test_every_cell_read_seeks_the_standing_its_index_holds",
    "test_every_word_must_occur_somewhere_in_the_five_fields",
    "test_fields_outside_the_five_are_not_searched",
    "test_fts_operators_do_not_widen_or_narrow_a_search",
    "test_no_filter_finds_every_complete_mentor_and_no_incomplete_one",
    "test_paging_returns_every_match_once_whatever_the_page_size",
    "test_query_syntax_is_read_as_plain_words",
    "test_random_filters_find_exactly_what_the_oracle_finds",
    "test_reasons_explain_every_point_of_the_score",
    "test_search_leaves_out_exactly_the_mentors_blocked_either_way",
    "test_the_index_follows_profile_and_name_changes",
    "test_top_k_is_the_k_best_match_scores_for_many_mentees",
    "test_top_k_stays_exact_for_flat_mentees_and_polyglot_mentors",
    "test_top_k_stays_exact_with_blocks_both_ways",
    "test_topic_and_language_filters_are_not_words",
    "test_words_match_whole_not_as_prefixes",
]


@pytest.fixture
async def settings(tmp_path: Path) -> AsyncIterator[Settings]:
    async with scratch_database(migrated=True) as url:
        yield settings_for(tmp_path, database_url=url, rate_limiter=NoRateLimits())


async def test_a_search_counts_beside_its_page(anon: Client, settings: Settings) -> None:
    """The count runs on a connection of its own while the page is read: held up by
    a lock on the mentor rows, which only the page reads, the page waits and the
    count is done (and kept) before the lock goes."""
    _, found = await mentor(anon, headline="Astronomy and leadership")
    key = (("astronomy",), frozenset({"LEADERSHIP"}), frozenset({"en"}))
    search_counts.COUNTS.clear()
    holder = await asyncpg.connect(settings.database_url, timeout=5)
    try:
        held = holder.transaction()
        await held.start()
        await holder.execute("LOCK TABLE mentor_profile IN ACCESS EXCLUSIVE MODE")
        request = asyncio.ensure_future(anon.op("SearchMentors", filter=ASTRONOMY, first=20))
        async with asyncio.timeout(10):
            # The kept counts signal nothing: polled until the deadline.
            while search_counts.COUNTS.get(key) is None:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        assert not request.done(), "the page waits for the lock"
        await held.rollback()
        page = (await request).data["searchMentors"]
    finally:
        await holder.close()
    assert page["totalCount"] == 1
    assert [key_of(edge["node"]["id"]) for edge in page["edges"]] == [key_of(found)]
