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

"Bounded by an index" is checked, not trusted: the first time a statement
text comes here, SQLite's EXPLAIN QUERY PLAN must show no SCAN of a table
(with or without an index: a scan reads the whole of it), else the read is
refused with `UnboundedRead`. The verdict is kept per statement text (values
are always bound, so the texts are few), and the check costs one EXPLAIN per
text per process.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from tortoise.exceptions import OperationalError
from tortoise.log import db_client_logger

# A WAL reader waits for SQLite's locks only in rare moments (a log being
# recovered or reset); it waits on the loop's thread, so not for long.
BUSY_TIMEOUT_S = 1.0


# Plan lines (SQLite 3.36 and later) naming what a statement reads.
_SCAN = re.compile(r"^SCAN (\S+)")
_CONSTANT = re.compile(r"^SCAN (?:\d+ )?CONSTANT ROWS?$")
# A subquery or CTE read into a temporary: scanning it reads no table.
_DERIVED = re.compile(r"^(?:MATERIALIZE|CO-ROUTINE) (\S+)")


class UnboundedRead(RuntimeError):
    """A statement that reads a whole table was sent to the inline connection."""


def table_scans(plan: Iterable[str]) -> list[str]:
    """The lines of an EXPLAIN QUERY PLAN that scan a table (not a CTE, subquery or constant)."""
    lines = list(plan)
    derived = {found.group(1) for line in lines if (found := _DERIVED.match(line))}
    return [
        line
        for line in lines
        if (found := _SCAN.match(line))
        and found.group(1) not in derived
        and not _CONSTANT.match(line)
    ]


class InlineReader:
    """A read-only connection to a SQLite file, used from the event loop's thread."""

    def __init__(self, path: str) -> None:
        # Not bound to the opening thread: an app's lifespan may run in another
        # thread than its requests (Starlette's TestClient); only one loop uses it.
        self._sqlite = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        self._sqlite.execute("PRAGMA query_only = ON")
        # Statement texts whose plans were checked and found bounded.
        self.bounded: set[str] = set()

    def _check_bounded(self, sql: str, values: Sequence[Any]) -> None:
        plan = self._sqlite.execute(f"EXPLAIN QUERY PLAN {sql}", values).fetchall()
        scans = table_scans(str(line[-1]) for line in plan)
        if scans:
            raise UnboundedRead(f"not bounded by an index ({'; '.join(scans)}): {sql}")
        self.bounded.add(sql)

    def fetch(self, sql: str, values: Sequence[Any]) -> list[dict[str, Any]]:
        # Logged as Tortoise logs its statements, so that counting them sees these too.
        db_client_logger.debug("%s: %s", sql, values)
        try:
            if sql not in self.bounded:
                self._check_bounded(sql, values)
            cursor = self._sqlite.execute(sql, values)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except sqlite3.OperationalError as error:
            raise OperationalError(error) from error

    def close(self) -> None:
        self._sqlite.close()
