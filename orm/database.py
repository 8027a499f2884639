"""Opening the database: connect, bring the schema up to date, close.

Tortoise 1.x keeps its state in a `TortoiseContext` bound to a context
variable. The context is opened here and handed back to the caller, which binds
it wherever code runs outside the task that opened it (see `app.py`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tortoise.context import TortoiseContext
from tortoise.migrations.executor import MigrationExecutor

from orm.config import APP_LABEL, tortoise_config
from orm.migration_lock import migration_lock

# A writer waits this long for SQLite's lock before giving up, instead of
# failing at once with "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 5000


def is_sqlite(database_url: str) -> bool:
    return database_url.startswith("sqlite://")


def sqlite_path(database_url: str) -> Path | None:
    """The file behind a SQLite URL, or None for another engine or `:memory:`."""
    if not is_sqlite(database_url):
        return None
    path = urlsplit(database_url).netloc + urlsplit(database_url).path
    if not path or path == ":memory:":
        return None
    return Path(path)


def with_engine_defaults(database_url: str) -> str:
    """Add the connection options this service relies on, unless the URL sets them."""
    parts = urlsplit(database_url)
    options = dict(parse_qsl(parts.query))
    if is_sqlite(database_url):
        options.setdefault("busy_timeout", str(SQLITE_BUSY_TIMEOUT_MS))
    return urlunsplit(parts._replace(query=urlencode(options)))


async def apply_migrations(ctx: TortoiseContext, database_url: str) -> None:
    """Apply every migration under `orm/migrations` that the database lacks.

    Under a lock that processes starting together share: the executor reads
    what is applied only once it holds it.
    """
    apps = tortoise_config(database_url)["apps"]
    async with migration_lock(database_url, sqlite_path(database_url)):
        executor = MigrationExecutor(ctx.db(), {APP_LABEL: apps[APP_LABEL]})
        await executor.migrate()


@asynccontextmanager
async def open_database(
    database_url: str, *, migrate: bool = True
) -> AsyncIterator[TortoiseContext]:
    """Connect (creating the SQLite file's folder), migrate, and close on exit."""
    path = sqlite_path(database_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    url = with_engine_defaults(database_url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        if migrate:
            await apply_migrations(ctx, url)
        yield ctx
