"""Fresh databases for benchmarks: a temporary SQLite file, or a PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg  # type: ignore[import-untyped]

ENGINES = ("sqlite", "postgres")
SERVER_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def url_of(name: str) -> str:
    """The URL of database `name` on the server of TEST_POSTGRES_URL."""
    return urlunsplit(urlsplit(SERVER_URL)._replace(path=f"/{name}"))


@asynccontextmanager
async def admin() -> AsyncIterator[Any]:
    """A connection to the TEST_POSTGRES_URL server's own database, closed afterwards
    (CREATE and DROP DATABASE cannot run inside the database they name)."""
    connection = await asyncpg.connect(SERVER_URL, timeout=5)
    try:
        yield connection
    finally:
        await connection.close()


async def database_exists(name: str) -> bool:
    async with admin() as server:
        return bool(await server.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name))


@asynccontextmanager
async def fresh_database(
    engine: str, folder: Path, purpose: str = "bench", *, template: str | None = None
) -> AsyncIterator[str]:
    """A URL of an empty database of `engine`, gone afterwards.

    SQLite: a file in `folder` (the caller removes the folder). PostgreSQL:
    `<purpose>_bench_<hex>` on TEST_POSTGRES_URL, dropped at the end even
    with servers still connected (FORCE), so an interrupted run leaves none;
    with `template`, a copy of that database instead of an empty one.
    """
    if engine == "sqlite":
        yield f"sqlite://{folder / 'bench.sqlite3'}"
        return
    if engine != "postgres":
        raise ValueError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    name = f"{purpose}_bench_{uuid.uuid4().hex[:12]}"
    async with admin() as server:
        if template is None:
            await server.execute(f'CREATE DATABASE "{name}"')
        else:
            # FILE_COPY copies the files at a checkpoint: seconds for a million
            # mentors, where the default (WAL_LOG) writes every page to the log.
            await server.execute(
                f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY'
            )
    try:
        yield url_of(name)
    finally:
        async with admin() as server:
            await server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# What a PostgreSQL figure depends on besides the code: printed with the figures.
SERVER_SETTINGS = ("server_version", "shared_buffers", "effective_io_concurrency", "work_mem")


async def server_settings() -> str:
    """The TEST_POSTGRES_URL server's version and the settings its figures depend on."""
    async with admin() as server:
        shown = [f"{name} {await server.fetchval(f'SHOW {name}')}" for name in SERVER_SETTINGS]
    return "PostgreSQL server: " + ", ".join(shown)
