"""SQLite's WAL checkpoints, taken beside the connection that serves requests.

Tortoise serves a process from one SQLite connection, and every statement
waits its turn on it. By default SQLite checkpoints inside the commit that
fills the write-ahead log past 1,000 pages: that commit copies the log into
the database file and syncs it, and every request waits behind it (the live
messaging bench saw single statements hold the connection for ~150 ms). So
the serving connection never checkpoints (`wal_autocheckpoint=0`), and a
task copies the log in passive mode from a connection of its own, in a
thread: it never blocks a writer or a reader, and the log stays short.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing, suppress
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
    task = asyncio.create_task(_checkpoint_periodically(database, interval))
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        await serving.execute_script("PRAGMA wal_autocheckpoint=1000")


async def _checkpoint_periodically(database: Path, interval: float) -> None:
    own = sqlite3.connect(database, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    with closing(own):
        while True:
            await asyncio.sleep(interval)
            try:
                await asyncio.to_thread(checkpoint, own)
            except sqlite3.Error:
                # The next round tries again; the log only grows meanwhile.
                logger.exception("WAL checkpoint of %s failed", database)


def checkpoint(own: sqlite3.Connection) -> tuple[int, int]:
    """Copy what the log holds into the database file: (frames in the log, frames copied)."""
    _busy, logged, copied = own.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(logged), int(copied)
