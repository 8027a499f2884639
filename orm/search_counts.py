"""Text search counts kept per process, each under the search version it was counted at.

A text search's `totalCount` at 1,000,000 mentors costs 15 to 30 ms (FTS5's
or the GIN index's hits), more than its page, and a client paging through
results asks for it again with every page. `search_version` (migration
0018) changes in the transaction of every change that can move such a
count, so a count kept under the version still current is the count.
`orm.search` reads the version in the statement that would count, and
counts only when the version is not the one kept: one statement either
way, and never a count older than its version. Every process keeps its
own counts; the version in the database keeps them right across processes.

Only what all viewers share is kept: the mentors a member blocked or was
blocked by are subtracted for each viewer (`orm.search`).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient

from orm.sql import POSTGRES, SQLITE, dialect_of

# Searches kept at once; the least recently asked goes first.
KEPT_SEARCHES = 1024


@dataclass(frozen=True)
class Kept:
    version: int
    count: int


# The words, the topics and the language codes of a search (any order).
Key = tuple[tuple[str, ...], frozenset[str], frozenset[str]]


class Counts:
    """The latest count of each search, with the version it was counted at."""

    def __init__(self, limit: int = KEPT_SEARCHES) -> None:
        self._limit = limit
        self._kept: OrderedDict[Key, Kept] = OrderedDict()

    def get(self, key: Key) -> Kept | None:
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
        return kept

    def put(self, key: Key, kept: Kept) -> None:
        self._kept[key] = kept
        self._kept.move_to_end(key)
        while len(self._kept) > self._limit:
            self._kept.popitem(last=False)

    def clear(self) -> None:
        self._kept.clear()


COUNTS = Counts()

# The version's new value (migration 0018 writes the same).
_BUMP = {
    POSTGRES: "INSERT INTO search_version (id, value) VALUES (1, floor(random() * 9.2e18)::bigint)"
    " ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value",
    SQLITE: "INSERT OR REPLACE INTO search_version (id, value) VALUES (1, random())",
}

# One row: the current version, NULL without the table's row.
VERSION_SQL_AS_ROW = "SELECT (SELECT value FROM search_version WHERE id = 1) AS version"


async def bump(db: BaseDBAsyncClient) -> None:
    """A new version, for writes that bypass the triggers (the bulk load)."""
    await db.execute_query(_BUMP[dialect_of(db)])
