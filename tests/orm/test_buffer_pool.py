"""PostgreSQL's buffer pool against the search table: read from the server, and a warning
at the start only when the table has outgrown the pool (see `orm.buffer_pool`)."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app import create_app
from orm.buffer_pool import MB, BufferPool, measured
from orm.database import open_database
from orm.seed import seed_synthetic
from orm.sql import connection
from tests.postgres import scratch_database
from tests.support import migrated_sqlite, running, settings_for

UNITS = {"kB": 2**10, "MB": 2**20, "GB": 2**30, "TB": 2**40}


def _bytes(shown: str) -> int:
    """A size as `SHOW` prints it ("128MB") in bytes."""
    matched = re.fullmatch(r"(\d+)(kB|MB|GB|TB)", shown)
    assert matched is not None, shown
    return int(matched[1]) * UNITS[matched[2]]


def test_a_search_table_larger_than_the_pool_gets_advice_naming_both_sizes() -> None:
    advice = BufferPool(shared_buffers=128 * MB, search_table=424 * MB).advice()

    assert advice is not None
    assert "shared_buffers (128 MB)" in advice
    assert "(424 MB)" in advice


def test_a_pool_that_holds_the_search_table_gets_no_advice() -> None:
    assert BufferPool(shared_buffers=2048 * MB, search_table=424 * MB).advice() is None
    assert BufferPool(shared_buffers=424 * MB, search_table=424 * MB).advice() is None


@pytest.mark.services
async def test_postgres_reports_its_pool_and_a_search_table_that_grows_with_mentors() -> None:
    async with scratch_database(migrated=True) as url, open_database(url):
        empty = await measured()
        shown = await connection().execute_query_dict("SHOW shared_buffers")
        await seed_synthetic(mentors=2000, mentees=10, seed=1, now=datetime.now(UTC))
        seeded = await measured()

    assert empty is not None
    assert seeded is not None
    assert empty.shared_buffers == seeded.shared_buffers == _bytes(shown[0]["shared_buffers"])
    assert seeded.search_table > empty.search_table


async def test_sqlite_has_no_pool_to_measure(tmp_path: Path) -> None:
    async with open_database(migrated_sqlite(tmp_path / "data" / "test.sqlite3")):
        assert await measured() is None


@pytest.mark.services
async def test_a_start_on_a_pool_that_holds_the_search_table_warns_of_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with scratch_database(migrated=True) as url:
        with caplog.at_level(logging.WARNING, logger="mentoring"):
            async with running(create_app(settings_for(tmp_path, database_url=url))):
                pool = await measured()

    assert pool is not None
    assert pool.search_table < pool.shared_buffers
    assert not [r for r in caplog.records if "shared_buffers" in r.getMessage()]
