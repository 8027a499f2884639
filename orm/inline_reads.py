"""Short SQLite reads on the event loop's own thread, from a connection of their own.

Tortoise sends every SQLite statement to aiosqlite's thread and waits for
the answer: a queue hand-off, the loop woken through its self-pipe, the GIL
passed back and forth, while Tortoise's connection lock holds every other
statement back. For a read that an index bounds (a row by its key, a page of
fifty messages) that costs more than SQLite's own work: run here instead,
the reads of MyRelationships and Conversation served 13 % and 36 % more
requests per second (`bench.http`).

So those reads, and only those (a search over every mentor would stall the
loop), run synchronously on a second connection opened by the engine
(`orm.sqlite_engine`). WAL lets it read while the serving connection
writes, and each statement sees every commit made before it began.
Transactions keep to their own connection: their reads must see their own
uncommitted writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from tortoise.exceptions import OperationalError
from tortoise.log import db_client_logger

# A WAL reader waits for SQLite's locks only in rare moments (a log being
# recovered or reset); it waits on the loop's thread, so not for long.
BUSY_TIMEOUT_S = 1.0


class InlineReader:
    """A read-only connection to a SQLite file, used from the event loop's thread."""

    def __init__(self, path: str) -> None:
        # Not bound to the opening thread: an app's lifespan may run in another
        # thread than its requests (Starlette's TestClient); only one loop uses it.
        self._connection = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        self._connection.execute("PRAGMA query_only = ON")

    def fetch(self, sql: str, values: Sequence[Any]) -> list[dict[str, Any]]:
        # Logged as Tortoise logs its statements, so that counting them sees these too.
        db_client_logger.debug("%s: %s", sql, values)
        try:
            cursor = self._connection.execute(sql, values)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except sqlite3.OperationalError as error:
            raise OperationalError(error) from error

    def close(self) -> None:
        self._connection.close()
