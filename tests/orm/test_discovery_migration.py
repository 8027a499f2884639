"""Migration 0002 on a database that already holds mentors: masks and index filled."""

from __future__ import annotations

from pathlib import Path

from tortoise.context import TortoiseContext
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

from orm.config import APP_LABEL, tortoise_config
from orm.database import open_database
from orm.vocabulary import Topic, topic_mask


async def test_existing_mentors_get_their_topic_mask_and_search_entry(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'upgrade.sqlite3'}"
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        apps = {APP_LABEL: tortoise_config(url)["apps"][APP_LABEL]}
        await MigrationExecutor(ctx.db(), apps).migrate(
            [MigrationTarget(APP_LABEL, "0001_initial")]
        )
        await ctx.db().execute_script(
            'INSERT INTO "user" (id, email, display_name, password_hash, created_at) '
            "VALUES (1, 'old@example.org', 'Olga Oldtimer', 'x', '2026-01-01 00:00:00+00:00');"
            # Complete: only a findable mentor has a search entry (migration 0020).
            "INSERT INTO mentor_profile (id, user_id, headline, languages, topics, channels, "
            "contact_links, is_complete, created_at, updated_at, accepting_mentees, mentee_count) "
            "VALUES (1, 1, 'Veteran engineer', '[]', '[\"LEADERSHIP\",\"NETWORKING\"]', '[]', "
            "'[]', 1, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', 1, 0);"
            "INSERT INTO mentor_topic (mentor_id, topic) "
            "VALUES (1, 'LEADERSHIP'), (1, 'NETWORKING');"
        )

    async with open_database(url) as ctx:
        masks = await ctx.db().execute_query_dict("SELECT topic_mask FROM mentor_profile")
        found = await ctx.db().execute_query_dict(
            "SELECT rowid FROM mentor_search WHERE mentor_search MATCH 'oldtimer veteran'"
        )

    assert masks == [{"topic_mask": topic_mask([Topic.LEADERSHIP.value, Topic.NETWORKING.value])}]
    assert found == [{"rowid": 1}]
