"""Bulk loading mentors fast: index maintenance deferred to one pass at the end.

Row by row, the full-text trigger and the partial suggestion index nearly
double the time of seeding 100,000 mentors on SQLite. Around a bulk insert
they are set aside and rebuilt once, from the definitions the migrations
left in `sqlite_master`, so that they are recreated exactly as migrated.
PostgreSQL keeps its triggers (its seeding is not the bottleneck here).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tortoise.backends.base.client import BaseDBAsyncClient

from orm.sql import SQLITE

DEFERRED = (
    "mentor_search_insert",
    "mentor_suggestion_idx",
    "mentor_stats_idx",
    "mentor_alike_idx",
    "mentor_field_idx",
    "mentor_language_count_idx",
    "mentor_place_idx",
    "mentor_hit_idx",
)

# What the trigger `mentor_search_insert` (migration 0016) writes, tags included.
INDEX_NEW_MENTORS = """
INSERT INTO mentor_search (rowid, name, headline, bio, industry, field_of_study, tags)
SELECT mp.id, u.display_name, mp.headline, mp.bio, mp.industry, mp.field_of_study,
    (SELECT group_concat(tag, ' ') FROM (
        SELECT 't' || replace(lower(value), '_', '') AS tag FROM json_each(mp.topics)
        UNION ALL SELECT 'l' || lower(value) FROM json_each(mp.languages)))
FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id WHERE mp.id >= ?
"""


@asynccontextmanager
async def deferred_indexes(db: BaseDBAsyncClient, first_new_mentor_id: int) -> AsyncIterator[None]:
    """Inside: insert mentors with ids from `first_new_mentor_id` on.

    `db` is the transaction's connection: the drop, the load and the rebuild
    commit together or not at all.
    """
    if db.capabilities.dialect != SQLITE:
        yield
        return
    names = ", ".join(f"'{name}'" for name in DEFERRED)
    rows = await db.execute_query_dict(
        f"SELECT type, name, sql FROM sqlite_master WHERE name IN ({names})"  # noqa: S608 - constants
    )
    # execute_query, never execute_script: sqlite3's executescript() commits
    # the open transaction first, and the bulk insert would then run without one.
    for row in rows:
        await db.execute_query(f'DROP {row["type"].upper()} "{row["name"]}"')
    yield
    for row in rows:
        await db.execute_query(row["sql"])
    if any(row["name"] == "mentor_search_insert" for row in rows):
        await db.execute_query(INDEX_NEW_MENTORS, [first_new_mentor_id])
