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
from orm.data_migrations import MigrationInputs, providing
from orm.encryption import Keyring
from orm.member_keys import MessageKeys
from orm.migration_lock import migration_lock
from orm.private_files import private_sqlite_file
from orm.progress import SILENT, Progress

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


async def apply_migrations(
    ctx: TortoiseContext,
    database_url: str,
    *,
    keyring: Keyring | None = None,
    progress: Progress = SILENT,
    member_keys: MessageKeys | None = None,
) -> int:
    """Apply every migration under `orm/migrations` that the database lacks.

    Under a lock that processes starting together share: the executor reads
    what is applied only once it holds it. Data migrations that seal stored
    messages get `keyring` and `member_keys` through `orm.data_migrations`;
    without them, they refuse a database that holds messages. Each migration
    advances `progress`; the number applied is returned.
    """
    apps = tortoise_config(database_url)["apps"]
    async with migration_lock(database_url, sqlite_path(database_url)):
        executor = MigrationExecutor(ctx.db(), {APP_LABEL: apps[APP_LABEL]})
        steps = await executor.plan()
        if not steps:
            return 0
        applying = progress.task("migrations", len(steps))

        def applied(event: str, app: str, name: str) -> None:
            if event == "apply_done":
                applying.advance()

        inputs = MigrationInputs(keyring=keyring, progress=progress, member_keys=member_keys)
        with providing(inputs):
            if is_sqlite(database_url):
                async with _scrubbing_sqlite(ctx):
                    await executor.migrate(progress=applied)
            else:
                await executor.migrate(progress=applied)
        applying.finish()
        return len(steps)


@asynccontextmanager
async def _scrubbing_sqlite(ctx: TortoiseContext) -> AsyncIterator[None]:
    """Leave nothing a migration removed (plain-text message bodies) in SQLite's files.

    `secure_delete` zeroes the pages and cells a migration frees (builds
    differ in its default); the checkpoint empties the write-ahead log, which
    still holds the pages as they were before.
    """
    client = ctx.db()
    _, rows = await client.execute_query("PRAGMA secure_delete")
    before = int(rows[0][0])
    await client.execute_script("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        await client.execute_script(f"PRAGMA secure_delete = {before}")
        await client.execute_script("PRAGMA wal_checkpoint(TRUNCATE)")


@asynccontextmanager
async def open_database(
    database_url: str,
    *,
    migrate: bool = True,
    keyring: Keyring | None = None,
    progress: Progress = SILENT,
    member_keys: MessageKeys | None = None,
) -> AsyncIterator[TortoiseContext]:
    """Connect (creating the SQLite file and its folder, private), migrate, and close on exit.

    `keyring` is the service's message keyring and `member_keys` the members'
    data keys, which upgrades that seal stored messages need (see
    `apply_migrations`); `progress` shows the migrations.
    """
    path = sqlite_path(database_url)
    if path is not None:
        private_sqlite_file(path)
    url = with_engine_defaults(database_url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        if migrate:
            await apply_migrations(
                ctx, url, keyring=keyring, member_keys=member_keys, progress=progress
            )
        yield ctx
