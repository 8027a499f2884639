"""A migrated database on each engine: the triggers and the SQL run as in production."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise.context import TortoiseContext

from orm.binding import bound
from orm.database import open_database
from tests.postgres import scratch_database
from tests.support import migrated_sqlite


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.services)])
async def migrated(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[TortoiseContext]:
    """The context of a database that every migration built (its triggers too), bound."""
    if request.param == "postgres":
        async with scratch_database(migrated=True) as url, open_database(url) as ctx:
            with bound(ctx):
                yield ctx
        return
    async with open_database(migrated_sqlite(tmp_path / "migrated.sqlite3")) as ctx:
        with bound(ctx):
            yield ctx
