"""A throwaway PostgreSQL database per test, for what only a real server shows.

SQLite runs one transaction at a time, so races (two accepts for the last
place) only really race on PostgreSQL. Tests using this skip when no server
answers, unless REQUIRE_SERVICES=1 (as CI sets).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import asyncpg  # type: ignore[import-untyped]
import pytest
from tortoise.backends.base.executor import EXECUTOR_CACHE

SERVER_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


@asynccontextmanager
async def scratch_database() -> AsyncIterator[str]:
    """The URL of a new, empty database, dropped afterwards."""
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
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(urlsplit(SERVER_URL)._replace(path=f"/{name}"))
        finally:
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        EXECUTOR_CACHE.clear()
        await admin.close()
