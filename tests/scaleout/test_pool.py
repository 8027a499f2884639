"""The PostgreSQL pool settings reach asyncpg, and the URL overrides them."""

from __future__ import annotations

import asyncio

import pytest

from orm.config import POSTGRES_POOL_DEFAULTS, connection_config
from orm.database import open_database

pytestmark = pytest.mark.services


def test_every_default_applies_unless_the_url_sets_its_own() -> None:
    config = connection_config("postgres://app@db:5432/mentoring?maxsize=25&command_timeout=7")

    assert isinstance(config, dict)
    credentials = config["credentials"]
    assert credentials["maxsize"] == 25
    assert credentials["command_timeout"] == 7.0
    for name in ("minsize", "timeout", "max_inactive_connection_lifetime"):
        assert credentials[name] == POSTGRES_POOL_DEFAULTS[name]


async def test_a_statement_over_the_command_timeout_fails_instead_of_hanging(
    postgres_url: str,
) -> None:
    async with open_database(f"{postgres_url}?command_timeout=0.5") as ctx:
        with pytest.raises(asyncio.TimeoutError):
            await ctx.db().execute_query("SELECT pg_sleep(5)")
        # The pool serves the next statement as usual.
        assert await ctx.db().execute_query_dict("SELECT 1 AS one") == [{"one": 1}]
