"""The write-ahead log reaches the database file without the serving connection checkpointing."""

from __future__ import annotations

import asyncio
from pathlib import Path

from orm.binding import bound
from orm.checkpoints import checkpointing
from orm.database import open_database
from orm.sql import connection

FILLER_BYTES = 1_000_000
# SQLite's own automatic checkpoint would need 1,000 pages (4 MB) of log.
assert FILLER_BYTES < 1000 * 4096


async def autocheckpoint_pages() -> int:
    rows = await connection().execute_query_dict("PRAGMA wal_autocheckpoint")
    return int(rows[0]["wal_autocheckpoint"])


async def test_the_log_is_copied_into_the_database_file_by_the_checkpointer(
    tmp_path: Path,
) -> None:
    database = tmp_path / "service.sqlite3"
    async with open_database(f"sqlite://{database}") as ctx:
        with bound(ctx):
            async with checkpointing(database, interval=0.05):
                assert await autocheckpoint_pages() == 0
                before = database.stat().st_size
                await connection().execute_script(
                    "CREATE TABLE filler (x BLOB);"
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
                    " INSERT INTO filler SELECT randomblob(1000) FROM n;"
                )
                for _ in range(100):
                    if database.stat().st_size - before >= FILLER_BYTES:
                        break
                    await asyncio.sleep(0.05)
                assert database.stat().st_size - before >= FILLER_BYTES
            # Without the checkpointer, SQLite's own checkpoints come back.
            assert await autocheckpoint_pages() == 1000
