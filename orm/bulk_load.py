"""Bulk loading mentors fast: rows written the engine's fastest way, index work done once.

`BulkLoader` writes rows that are already in column order and in the form
the models hand to the driver (`orm.seed` builds them), on the transaction's
own connection:

- SQLite: one prepared INSERT run by `executemany` per batch, which binds
  each row in C, instead of a model instance per row converted field by
  field;
- PostgreSQL: COPY (asyncpg's `copy_records_to_table`, binary), a stream
  instead of an INSERT per row.

Row by row, the search document and the partial indexes over mentors cost
more than the rows themselves. `deferred_indexes` sets them aside around the
load and rebuilds them once, set-based, from the definitions the migrations
left in the catalog (`sqlite_master`, `pg_indexes`), so that they come back
exactly as migrated; all of it inside the load's transaction, so that the
drop, the load and the rebuild commit together or not at all, and no other
connection ever sees the indexes missing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from orm import search_counts
from orm.sql import POSTGRES, SQLITE, dialect_of

# Maintained row by row by an insert, and rebuilt faster in one pass. The
# unique indexes stay: they back the constraints the load must respect.
DEFERRED_INDEXES = (
    "mentor_suggestion_idx",
    "mentor_stats_idx",
    "mentor_alike_idx",
    "mentor_field_idx",
    "mentor_language_count_idx",
    "mentor_place_idx",
    "mentor_hit_idx",
)
# SQLite: the triggers that write a new mentor's search document and move the
# search version (migration 0018), once per row otherwise.
DEFERRED = ("mentor_search_insert", "search_version_mentor_insert", *DEFERRED_INDEXES)
# PostgreSQL: the same partial indexes, and the GIN index of the search
# documents, which takes each new document's words one by one otherwise.
POSTGRES_DEFERRED_INDEXES = (*DEFERRED_INDEXES, "mentor_search_document_idx")
# PostgreSQL: the foreign keys of the tables the load writes, each checked by a
# trigger per row (an index probe that also locks the referenced row); added
# back after the load, they are validated by one join over the whole table.
POSTGRES_CHECKED_TABLES = ("mentor_profile", "mentee_profile", "mentor_search")
# PostgreSQL: the trigger that writes a mentor's search document (migration
# 0015), one statement per inserted row.
POSTGRES_SEARCH_TRIGGER = "mentor_search_profile"
# PostgreSQL: the trigger that moves the search version for each document
# written (migration 0018); the load moves it once.
POSTGRES_VERSION_TRIGGER = "search_version_documents"

# SQLite settings for the load's connection, put back afterwards. They touch
# only how this connection uses memory, never what is written or when it is
# synced, so the load stays one atomic, durable transaction (settings that can
# change only outside a transaction, such as temp_store, are left alone):
# - cache_size (256 MiB instead of 2 MB): the default cache spills dirty pages
#   to the WAL in the middle of the transaction and reads them back as the
#   unique indexes (e-mail addresses arrive in no order), the index builds'
#   sorts and the search index's merges touch them again.
SQLITE_LOAD_PRAGMAS = {"cache_size": "-262144"}

# What the trigger `mentor_search_insert` (migration 0020) writes for one mentor,
# tags included, for all new mentors in one statement: the documents of the
# findable ones. tests/orm/test_seed.py holds the two to the same documents.
SQLITE_INDEX_NEW_MENTORS = """
INSERT INTO mentor_search (rowid, name, headline, bio, industry, field_of_study, tags)
SELECT mp.id, u.display_name, mp.headline, mp.bio, mp.industry, mp.field_of_study,
    (SELECT group_concat(tag, ' ') FROM (
        SELECT 't' || replace(lower(value), '_', '') AS tag FROM json_each(mp.topics)
        UNION ALL SELECT 'l' || lower(value) FROM json_each(mp.languages)))
FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id
WHERE mp.id >= ? AND mp.is_complete AND u.suspended_at IS NULL
"""

# What `mentor_search_refresh` (migration 0017) writes for one mentor, for
# all new mentors in one statement: the documents of the findable ones.
# tests/orm/test_seed.py holds the two to the same documents.
POSTGRES_INDEX_NEW_MENTORS = """
INSERT INTO mentor_search (mentor_id, document)
SELECT mp.id, to_tsvector('mentor_words', concat_ws(' ',
    u.display_name, mp.headline, mp.bio, mp.industry, mp.field_of_study))
    || mentor_search_tags(mp.topics, mp.languages)
FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id
WHERE mp.id >= $1 AND mp.is_complete AND u.suspended_at IS NULL
"""

# Memory for each index build of the load (PostgreSQL's default, 64 MB, makes
# the GIN build of a million documents spill and merge). SET LOCAL ends with
# the transaction.
POSTGRES_BUILD_MEMORY = "256MB"
# The pool's limit on one statement (`orm.config`, 30 s) is for requests: at a
# million mentors, writing the search documents and building the GIN index
# take minutes, and a seed stopped by it would roll back the whole load.
POSTGRES_LOAD_STATEMENT_S = 3600.0


def table_of(model: type[Model]) -> str:
    table: str = model.describe(serializable=False)["table"]
    return table


def _quoted_list(names: Sequence[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


class BulkLoader:
    """Writes rows in bulk on `db`, the connection of an open transaction."""

    def __init__(self, db: BaseDBAsyncClient) -> None:
        self.db = db
        self.dialect = dialect_of(db)

    async def insert(self, model: type[Model], columns: Sequence[str], rows: list[Any]) -> None:
        """`rows`: tuples in the order of `columns`, holding the values as the model's
        fields hand them to the driver."""
        if not rows:
            return
        table = table_of(model)
        if self.dialect == SQLITE:
            names = ", ".join(f'"{column}"' for column in columns)
            marks = ", ".join("?" for _ in columns)
            insert = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608 - our names
            await self.db.execute_many(insert, rows)
            return
        async with self.db.acquire_connection() as connection:
            await connection.copy_records_to_table(table, records=rows, columns=list(columns))

    async def advance_sequences(self, models: Sequence[type[Model]]) -> None:
        """PostgreSQL: move id sequences past the explicitly numbered rows."""
        if self.dialect != POSTGRES:
            return
        for model in models:
            table = table_of(model)
            await self.db.execute_query(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608 - ours
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
            )

    @asynccontextmanager
    async def deferred_indexes(self, first_new_mentor_id: int) -> AsyncIterator[None]:
        """Inside: insert mentors with ids from `first_new_mentor_id` on."""
        if self.dialect == SQLITE:
            async with self._sqlite_deferred(first_new_mentor_id):
                yield
        else:
            async with self._postgres_deferred(first_new_mentor_id):
                yield

    @asynccontextmanager
    async def _sqlite_deferred(self, first_new_mentor_id: int) -> AsyncIterator[None]:
        db = self.db
        rows = await db.execute_query_dict(
            f"SELECT type, name, sql FROM sqlite_master WHERE name IN ({_quoted_list(DEFERRED)})"  # noqa: S608 - constants
        )
        # execute_query, never execute_script: sqlite3's executescript() commits
        # the open transaction first, and the bulk insert would then run without one.
        for row in rows:
            await db.execute_query(f'DROP {row["type"].upper()} "{row["name"]}"')
        before = {}
        for name, value in SQLITE_LOAD_PRAGMAS.items():
            _, found = await db.execute_query(f"PRAGMA {name}")
            before[name] = found[0][0]
            await db.execute_query(f"PRAGMA {name} = {value}")
        try:
            yield
            for row in rows:
                await db.execute_query(row["sql"])
            if any(row["name"] == "mentor_search_insert" for row in rows):
                await db.execute_query(SQLITE_INDEX_NEW_MENTORS, [first_new_mentor_id])
            if any(row["name"] == "search_version_mentor_insert" for row in rows):
                await search_counts.bump(db)
        finally:
            for name, value in before.items():
                await db.execute_query(f"PRAGMA {name} = {value}")

    async def _trigger_on(self, table: str, trigger: str) -> bool:
        """PostgreSQL: whether `trigger` exists on `table` and is on. The load switches
        only such a trigger off and on again: one switched off on purpose stays off."""
        rows = await self.db.execute_query_dict(
            "SELECT 1 FROM pg_trigger WHERE tgrelid = $1::regclass"
            " AND tgname = $2 AND tgenabled <> 'D'",
            [table, trigger],
        )
        return bool(rows)

    async def _switch(self, table: str, trigger: str, *, on: bool) -> None:
        """PostgreSQL: switch `trigger` on `table` on or off (one of the constants above)."""
        await self.db.execute_query(
            f"ALTER TABLE {table} {'ENABLE' if on else 'DISABLE'} TRIGGER {trigger}"
        )

    async def _postgres_long(self, statement: str, *values: Any) -> None:
        """A statement of the load's index work, under the load's own time limit."""
        async with self.db.acquire_connection() as connection:
            await connection.execute(statement, *values, timeout=POSTGRES_LOAD_STATEMENT_S)

    @asynccontextmanager
    async def _postgres_deferred(self, first_new_mentor_id: int) -> AsyncIterator[None]:
        db = self.db
        await db.execute_query(f"SET LOCAL maintenance_work_mem = '{POSTGRES_BUILD_MEMORY}'")
        indexes = await db.execute_query_dict(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = current_schema() AND indexname = ANY($1::text[])"
            " ORDER BY indexname",
            [list(POSTGRES_DEFERRED_INDEXES)],
        )
        trigger = await self._trigger_on("mentor_profile", POSTGRES_SEARCH_TRIGGER)
        versioned = await self._trigger_on("mentor_search", POSTGRES_VERSION_TRIGGER)
        references = await db.execute_query_dict(
            "SELECT conrelid::regclass::text AS owner, conname,"
            " pg_get_constraintdef(oid) AS definition FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid::regclass::text = ANY($1::text[])"
            " ORDER BY conname",
            [list(POSTGRES_CHECKED_TABLES)],
        )
        for index in indexes:
            await db.execute_query(f'DROP INDEX "{index["indexname"]}"')
        for reference in references:
            await db.execute_query(
                f'ALTER TABLE {reference["owner"]} DROP CONSTRAINT "{reference["conname"]}"'
            )
        if trigger:
            # Transactional like every DDL here: other connections keep seeing the
            # trigger on (they wait for the load's lock on the table to write to it).
            await self._switch("mentor_profile", POSTGRES_SEARCH_TRIGGER, on=False)
        yield
        if trigger:
            await self._switch("mentor_profile", POSTGRES_SEARCH_TRIGGER, on=True)
            if versioned:
                await self._switch("mentor_search", POSTGRES_VERSION_TRIGGER, on=False)
            await self._postgres_long(POSTGRES_INDEX_NEW_MENTORS, first_new_mentor_id)
            if versioned:
                await self._switch("mentor_search", POSTGRES_VERSION_TRIGGER, on=True)
                await search_counts.bump(db)
        for index in indexes:
            await self._postgres_long(index["indexdef"])
        for reference in references:
            await self._postgres_long(
                f"ALTER TABLE {reference['owner']} ADD CONSTRAINT"
                f' "{reference["conname"]}" {reference["definition"]}'
            )
        # The planner's statistics describe the tables before the load otherwise,
        # until autovacuum gets to them.
        await self._postgres_long('ANALYZE "user", mentor_profile, mentee_profile, mentor_search')
