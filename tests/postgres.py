"""A PostgreSQL database of its own per test, for what only a real server shows.

SQLite runs one transaction at a time, so races (two accepts for the last
place) only really race on PostgreSQL. Tests using this skip when no server
answers, unless REQUIRE_SERVICES=1 (as CI sets).
"""

from __future__ import annotations

import asyncio
import atexit
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import asyncpg  # type: ignore[import-untyped]
import pytest
from tortoise.backends.base.executor import EXECUTOR_CACHE

from orm.database import open_database

SERVER_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# Where Tortoise records the migrations applied: the one table a migrated
# database holds rows in.
MIGRATIONS_TABLE = "tortoise_migrations"

# This process's migrated databases that no test holds now.
_idle: list[str] = []


def _url_of(name: str) -> str:
    return urlunsplit(urlsplit(SERVER_URL)._replace(path=f"/{name}"))


async def _admin() -> asyncpg.Connection:
    try:
        return await asyncpg.connect(SERVER_URL, timeout=3)
    except (OSError, asyncpg.PostgresError) as error:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            raise
        pytest.skip(f"PostgreSQL is not reachable at {SERVER_URL}: {error}")


def _drop_at_exit(name: str) -> None:
    async def drop() -> None:
        admin = await asyncpg.connect(SERVER_URL, timeout=3)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    with suppress(OSError, asyncpg.PostgresError):
        asyncio.run(drop())


async def _tables(database: asyncpg.Connection) -> list[str]:
    rows = await database.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return sorted(row["tablename"] for row in rows if row["tablename"] != MIGRATIONS_TABLE)


async def _new_migrated(admin: asyncpg.Connection) -> str:
    """A new database with every migration applied, dropped when the process exits."""
    name = f"mentoring_test_{uuid4().hex[:16]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    atexit.register(_drop_at_exit, name)
    async with open_database(_url_of(name)):
        pass
    database = await asyncpg.connect(_url_of(name), timeout=3)
    try:
        # Emptying a database for its next test truncates every table: rows
        # a migration wrote would be lost with them.
        for table in await _tables(database):
            any_row = f'SELECT EXISTS (SELECT FROM "{table}")'  # noqa: S608 - a catalog name
            assert not await database.fetchval(any_row), f"a migration wrote rows into {table}"
    finally:
        await database.close()
    return name


async def _emptied(admin: asyncpg.Connection, name: str) -> str:
    """`name` as a fresh migrated database: no connection left on it, every table empty."""
    await admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = $1 AND pid <> pg_backend_pid()",
        name,
    )
    database = await asyncpg.connect(_url_of(name), timeout=3)
    try:
        tables = ", ".join(f'"{table}"' for table in await _tables(database))
        await database.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    finally:
        await database.close()
    return name


@asynccontextmanager
async def scratch_database(*, migrated: bool = False) -> AsyncIterator[str]:
    """The URL of a database no other test sees: empty, or with every migration applied.

    An empty one is created and dropped again. A migrated one is made once
    per process and emptied for each test (TRUNCATE) instead: migrating
    takes most of an app's start, and DROP DATABASE forces a checkpoint of
    the whole server, which took seconds while other tests were writing.
    """
    admin = await _admin()
    # Tortoise caches each model's INSERT statement per connection name, not
    # per engine: after SQLite tests, "default" would send `?` placeholders
    # to PostgreSQL (and the other way round afterwards).
    EXECUTOR_CACHE.clear()
    try:
        if migrated:
            name = await (_emptied(admin, _idle.pop()) if _idle else _new_migrated(admin))
            try:
                yield _url_of(name)
            finally:
                _idle.append(name)
        else:
            name = f"mentoring_test_{uuid4().hex[:16]}"
            await admin.execute(f'CREATE DATABASE "{name}"')
            try:
                yield _url_of(name)
            finally:
                await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        EXECUTOR_CACHE.clear()
        await admin.close()
