"""SQLite's WAL checkpoints, taken beside the connection that serves requests.

Tortoise serves a process from one SQLite connection, and every statement
waits its turn on it. By default SQLite checkpoints inside the commit that
fills the write-ahead log past 1,000 pages: that commit copies the log into
the database file and syncs it, and every request waits behind it (the live
messaging bench saw single statements hold the connection for ~150 ms). So
the serving connection never checkpoints (`wal_autocheckpoint=0`), and a
thread copies the log in passive mode from a connection of its own: it
never blocks a writer or a reader, and the log stays short.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from pathlib import Path

from orm.sql import connection

logger = logging.getLogger("mentoring.checkpoints")

CHECKPOINT_INTERVAL_S = 1.0
# The checkpointing connection waits this long for SQLite's own locks.
BUSY_TIMEOUT_S = 5.0


@asynccontextmanager
async def checkpointing(
    database: Path, interval: float = CHECKPOINT_INTERVAL_S
) -> AsyncIterator[None]:
    """Checkpoint `database` every `interval` seconds while the context is open.

    Runs within a bound Tortoise context: it turns the serving connection's
    own checkpoints off for as long as this one runs, and back on after.
    """
    serving = connection()
    await serving.execute_script("PRAGMA wal_autocheckpoint=0")
    checkpointer = Checkpointer(database, interval)
    checkpointer.start()
    try:
        yield
    finally:
        await asyncio.to_thread(checkpointer.stop)
        await serving.execute_script("PRAGMA wal_autocheckpoint=1000")


class Checkpointer(threading.Thread):
    """A thread with its own connection: a checkpoint under way cannot be
    interrupted, so stopping waits for it before the connection closes."""

    def __init__(self, database: Path, interval: float) -> None:
        super().__init__(name=f"checkpoint {database.name}", daemon=True)
        self._database = database
        self._interval = interval
        self._stopping = threading.Event()

    def run(self) -> None:
        with closing(sqlite3.connect(self._database, timeout=BUSY_TIMEOUT_S)) as own:
            while not self._stopping.wait(self._interval):
                try:
                    checkpoint(own)
                except sqlite3.Error:
                    # The next round tries again; the log only grows meanwhile.
                    logger.exception("WAL checkpoint of %s failed", self._database)

    def stop(self) -> None:
        self._stopping.set()
        self.join()


def checkpoint(own: sqlite3.Connection) -> tuple[int, int]:
    """Copy what the log holds into the database file: (frames in the log, frames copied)."""
    _busy, logged, copied = own.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(logged), int(copied)
