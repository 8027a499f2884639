"""A throwaway PostgreSQL database per test, for what only a real server shows.

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
# CREATE DATABASE ... TEMPLATE refuses while the template's last connection
# is still closing on the server's side: it is tried again this often.
TEMPLATE_ATTEMPTS = 50


def _url_of(name: str) -> str:
    return urlunsplit(urlsplit(SERVER_URL)._replace(path=f"/{name}"))


async def _drop(name: str) -> None:
    admin = await asyncpg.connect(SERVER_URL, timeout=3)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def _drop_at_exit(name: str) -> None:
    with suppress(OSError, asyncpg.PostgresError):
        asyncio.run(_drop(name))


# This process's migrated template database, made at its first use.
_template: str | None = None


async def _migrated_template(admin: asyncpg.Connection) -> str:
    """A database with every migration applied, made once per process, dropped at exit.

    Applying the migrations takes most of an app's start; a database made
    from this template starts with nothing left to apply.
    """
    global _template
    if _template is None:
        name = f"mentoring_template_{uuid4().hex[:16]}"
        await admin.execute(f'CREATE DATABASE "{name}"')
        atexit.register(_drop_at_exit, name)
        EXECUTOR_CACHE.clear()
        async with open_database(_url_of(name)):
            pass
        _template = name
    return _template


async def _create_from(admin: asyncpg.Connection, name: str, template: str) -> None:
    for _ in range(TEMPLATE_ATTEMPTS - 1):
        try:
            await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        except asyncpg.ObjectInUseError:
            await asyncio.sleep(0.1)
        else:
            return
    await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


@asynccontextmanager
async def scratch_database(*, migrated: bool = False) -> AsyncIterator[str]:
    """The URL of a new database, dropped afterwards: empty, or with every migration applied."""
    try:
        admin = await asyncpg.connect(SERVER_URL, timeout=3)
    except (OSError, asyncpg.PostgresError) as error:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            raise
        pytest.skip(f"PostgreSQL is not reachable at {SERVER_URL}: {error}")
    name = f"mentoring_test_{uuid4().hex[:16]}"
    # Tortoise caches each model's INSERT statement per connection name, not
    # per engine: after SQLite tests, "default" would send `?` placeholders
    # to PostgreSQL (and the other way round afterwards).
    EXECUTOR_CACHE.clear()
    try:
        if migrated:
            await _create_from(admin, name, await _migrated_template(admin))
        else:
            await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield _url_of(name)
        finally:
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        EXECUTOR_CACHE.clear()
        await admin.close()
