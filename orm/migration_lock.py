"""One process at a time brings the database schema up to date.

Several processes starting together (`uvicorn --workers 4`, several hosts)
would each apply the same migration, and all but one would fail on a table
that already exists. The first to take the lock migrates; the others wait,
then find nothing left to do. The lock is released if its process dies.

PostgreSQL: a session advisory lock, on a connection of its own (the
migrations need the pool). SQLite: an exclusive `flock` on a file beside the
database (POSIX; elsewhere several processes on one SQLite file must be
migrated first, with `python -m app migrate`).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from tortoise.backends.base.config_generator import expand_db_url

# Any fixed number, the same in every process: names the advisory lock.
POSTGRES_LOCK_KEY = 0x6D656E746F72  # "mentor"


@asynccontextmanager
async def migration_lock(database_url: str, sqlite_file: Path | None) -> AsyncIterator[None]:
    if database_url.startswith(("postgres://", "postgresql://")):
        async with _postgres_lock(database_url):
            yield
    elif sqlite_file is not None:
        async with _file_lock(sqlite_file.with_name(sqlite_file.name + ".migrating")):
            yield
    else:
        yield


@asynccontextmanager
async def _postgres_lock(database_url: str) -> AsyncIterator[None]:
    credentials: dict[str, Any] = expand_db_url(database_url)["credentials"]
    connection = await asyncpg.connect(
        host=credentials["host"],
        port=credentials["port"],
        user=credentials["user"],
        password=credentials["password"],
        database=credentials["database"],
        timeout=float(credentials.get("timeout", 60)),
    )
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", POSTGRES_LOCK_KEY)
        try:
            yield
        finally:
            await connection.execute("SELECT pg_advisory_unlock($1)", POSTGRES_LOCK_KEY)
    finally:
        await connection.close()


@asynccontextmanager
async def _file_lock(path: Path) -> AsyncIterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: see the module's docstring
        yield
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        await asyncio.to_thread(fcntl.flock, descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
