"""Whether PostgreSQL's buffer pool holds the table a text search counts in.

A text search's `totalCount` is the GIN index's hits in `mentor_search`
(`orm.search`), and PostgreSQL 15 reads the heap page of every hit, even
when the page is all-visible. While the table and its indexes fit in
`shared_buffers` those pages stay in the pool; once they outgrow it, every
count copies them in from the operating system again. Measured at 1,000,000
mentors (424 MB): search 53.9 ms over HTTP on the default 128 MB, 31.4 ms
with 2 GB (README, "PostgreSQL memory"). Seen only in production data, so
the service says so when it starts.
"""

from __future__ import annotations

from dataclasses import dataclass

from orm.sql import POSTGRES, connection, dialect_of

MB = 2**20


@dataclass(frozen=True)
class BufferPool:
    """Bytes: the server's `shared_buffers`, and `mentor_search` with its indexes."""

    shared_buffers: int
    search_table: int

    def advice(self) -> str | None:
        """A warning for the operator when the search table has outgrown the pool."""
        if self.search_table <= self.shared_buffers:
            return None
        return (
            f"PostgreSQL's shared_buffers ({self.shared_buffers // MB} MB) is smaller than"
            f" the search table mentor_search with its indexes ({self.search_table // MB} MB):"
            " every text search's count reads its pages from the operating system again."
            " Give the server a buffer pool that holds the table (README, PostgreSQL memory)."
        )


async def measured() -> BufferPool | None:
    """The pool and the search table of the database in use; None on SQLite, which has
    no pool of its own to size (it reads through the operating system's cache)."""
    db = connection()
    if dialect_of(db) != POSTGRES:
        return None
    rows = await db.execute_query_dict(
        "SELECT pg_size_bytes(current_setting('shared_buffers')) AS pool,"
        " pg_total_relation_size('mentor_search') AS search"
    )
    return BufferPool(shared_buffers=int(rows[0]["pool"]), search_table=int(rows[0]["search"]))


async def advice() -> str | None:
    """`BufferPool.advice` for the database in use; None on SQLite."""
    pool = await measured()
    return pool.advice() if pool is not None else None
