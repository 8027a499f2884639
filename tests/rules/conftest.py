"""A database of its own per test, SQLite and PostgreSQL, with the current models' tables.

On PostgreSQL they are the migrated schema, which tests/orm/test_migrations
holds equal to the models.

Each rule's renderings are held to agree on both engines: the SQL of a rule
differs by engine where the engines store values differently (moments and
dates on SQLite are text).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise.backends.base.config_generator import generate_config
from tortoise.context import TortoiseContext, tortoise_test_context

from orm.config import MODELS_MODULE
from tests.postgres import scratch_database


async def _on_postgres() -> AsyncIterator[TortoiseContext]:
    # The scratch database exists already: tortoise_test_context would create it again.
    async with scratch_database(migrated=True) as url, TortoiseContext() as ctx:
        config = generate_config(url, app_modules={"models": [MODELS_MODULE]}, testing=True)
        await ctx.init(config=config, use_tz=True, timezone="UTC")
        yield ctx


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.services)])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[TortoiseContext]:
    if request.param == "postgres":
        async for ctx in _on_postgres():
            yield ctx
        return
    async with tortoise_test_context(
        [MODELS_MODULE], db_url=f"sqlite://{tmp_path / 'rules.sqlite3'}"
    ) as ctx:
        yield ctx
