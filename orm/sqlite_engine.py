"""Tortoise's SQLite client, with every transaction begun by BEGIN IMMEDIATE.

SQLite's plain (deferred) BEGIN takes the write lock only at the first write.
A transaction that reads and then writes holds a read snapshot by then; if
another process committed meanwhile, the write fails at once with "database
is locked" (SQLITE_BUSY_SNAPSHOT), and the busy timeout cannot help, as
waiting would not make the snapshot current. BEGIN IMMEDIATE takes the write
lock first, where the busy timeout does apply: concurrent writers queue.

Every transaction of this service writes, and Tortoise already runs the
transactions of one process one at a time on its single SQLite connection, so
beginning them all IMMEDIATE costs nothing and leaves no transaction to get
wrong. Statements outside a transaction are unchanged (autocommit). The
engine is registered for sqlite:// URLs by `orm.config.connection_config`.

Every statement is a round trip to aiosqlite's thread while Tortoise holds its
connection lock, so a transaction's begin takes one trip, not two. In WAL mode
`synchronous=NORMAL` syncs at checkpoints instead of at every commit: a commit
stays atomic and consistent, and only a power loss (not a crash of the
process) can undo the last commits. Every other statement waits behind a
commit's sync on the single connection, so this is what lets sends keep up.

Reads bounded by an index can skip that round trip: the client opens a
second, read-only connection for them (`orm.inline_reads`).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tortoise.backends.sqlite.client import SqliteTransactionWrapper
from tortoise.exceptions import TransactionManagementError

from orm.compat_tortoise import TransactionBeginHook, sqlite_connection
from orm.inline_reads import InlineReader

# SQLite's name for a database that lives in one connection only.
IN_MEMORY = ":memory:"


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            # The connection runs in autocommit mode: only a transaction left
            # open by a failure elsewhere needs ending first.
            connection = sqlite_connection(self)
            if connection.in_transaction:
                await connection.commit()
            await connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise TransactionManagementError(error) from error


class ImmediateSqliteClient(TransactionBeginHook):
    def __init__(self, file_path: str, **kwargs: Any) -> None:
        super().__init__(file_path, **kwargs)
        self.pragmas.setdefault("synchronous", "NORMAL")
        # None until connected, and for an in-memory database (no second connection sees it).
        self.inline: InlineReader | None = None

    async def create_connection(self, with_db: bool) -> None:
        await super().create_connection(with_db)
        # Opened after the serving connection, which puts the file in WAL mode.
        if self.inline is None and self.filename != IN_MEMORY:
            self.inline = InlineReader(self.filename)

    async def close(self) -> None:
        if self.inline is not None:
            self.inline.close()
            self.inline = None
        await super().close()

    def transaction_wrapper(self) -> SqliteTransactionWrapper:
        return ImmediateTransactionWrapper(self)


# What Tortoise looks up in an engine module.
client_class = ImmediateSqliteClient
