"""Migration 0015 adds the suggestion bound's indexes to a database that holds mentors."""

from __future__ import annotations

from tortoise.context import TortoiseContext
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

from orm.config import APP_LABEL, tortoise_config
from orm.database import open_database

TOPICS = '["LEADERSHIP"]'
INDEXES = {"mentor_alike_idx", "mentor_field_idx", "mentor_language_count_idx"}
LISTED = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index'",
    "postgres": "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'mentor_profile'",
}
MOST_LANGUAGES = {
    "sqlite": "json_array_length(languages)",
    "postgres": "jsonb_array_length(languages)",
}


async def test_the_bound_indexes_are_added_and_read(database_url: str) -> None:
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(database_url))
        apps = {APP_LABEL: tortoise_config(database_url)["apps"][APP_LABEL]}
        await MigrationExecutor(ctx.db(), apps).migrate(
            [MigrationTarget(APP_LABEL, "0014_member_keys")]
        )
        db = ctx.db()
        for user in (1, 2):
            await db.execute_query(
                'INSERT INTO "user" (id, email, display_name, password_hash, created_at, locale) '  # noqa: S608 - constants
                f"VALUES ({user}, 'old{user}@example.org', 'Olga', 'x',"
                " '2026-01-01 00:00:00+00:00', 'EN')"
            )
        # Two mentors: the eligible one speaks two languages, the full one five.
        mentors = ((1, '["de","en"]', 2), (2, '["de","en","fr","es","it"]', 0))
        for user, languages, capacity in mentors:
            await db.execute_query(
                "INSERT INTO mentor_profile (user_id, languages, topics, channels, contact_links,"  # noqa: S608 - constants
                " is_complete, created_at, updated_at, accepting_mentees, mentee_count, capacity,"
                f" industry, field_of_study) VALUES ({user}, '{languages}', '{TOPICS}',"
                " '[]', '[]', TRUE,"
                " '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', TRUE, 0,"
                f" {capacity}, 'Software', 'Physics')"
            )
        dialect = db.capabilities.dialect

    async with open_database(database_url) as ctx:
        db = ctx.db()
        names = {row["name"] for row in await db.execute_query_dict(LISTED[dialect])}
        most = await db.execute_query_dict(
            f"SELECT MAX({MOST_LANGUAGES[dialect]}) AS n FROM mentor_profile "  # noqa: S608
            "WHERE is_complete AND accepting_mentees AND capacity > mentee_count"
        )
        alike = await db.execute_query_dict(
            "SELECT COUNT(*) AS n FROM mentor_profile WHERE lower(industry) = 'software' "
            "AND lower(field_of_study) = 'physics' "
            "AND is_complete AND accepting_mentees AND capacity > mentee_count"
        )

        if dialect == "postgres":
            # Documents written before 0015 are rebuilt with the filters' tags.
            tagged = await db.execute_query_dict(
                "SELECT COUNT(*) AS n FROM mentor_search WHERE document @@ "
                "('''~tleadership'''::tsquery && '''~lfr'''::tsquery)"
            )
        else:
            # On SQLite, migration 0016 rebuilds the FTS5 table with a tags column.
            tagged = await db.execute_query_dict(
                "SELECT COUNT(*) AS n FROM mentor_search WHERE mentor_search MATCH "
                "'tags : (tleadership) AND tags : (lfr)'"
            )

    assert names >= INDEXES
    assert most == [{"n": 2}]
    assert alike == [{"n": 1}]
    assert tagged == [{"n": 1}]
