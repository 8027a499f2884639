"""Migration 0003 upgrades a database that already holds profiles (0007 drops its counters)."""

from __future__ import annotations

from pathlib import Path

from tortoise.context import TortoiseContext
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

from orm.config import APP_LABEL, tortoise_config


async def test_existing_mentor_profiles_get_zero_counters(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'upgrade.sqlite3'}"
    config = tortoise_config(url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        executor = MigrationExecutor(ctx.db(), {APP_LABEL: config["apps"][APP_LABEL]})
        await executor.migrate([MigrationTarget(app_label=APP_LABEL, name="0001_initial")])
        await ctx.db().execute_query(
            'INSERT INTO "user" (email, display_name, password_hash, created_at) '
            "VALUES ('k@example.org', 'K', 'x', '2026-01-01 00:00:00')"
        )
        await ctx.db().execute_query(
            "INSERT INTO mentor_profile (languages, topics, channels, contact_links, is_complete,"
            " created_at, updated_at, accepting_mentees, mentee_count, user_id) VALUES"
            " ('[]', '[]', '[]', '[]', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1, 0, 1)"
        )

        await executor.migrate(
            [MigrationTarget(app_label=APP_LABEL, name="0006_message_seq_trigger")]
        )
        rows = await ctx.db().execute_query_dict(
            "SELECT requests_received, requests_answered, last_active_at FROM mentor_profile"
        )

    assert rows == [{"requests_received": 0, "requests_answered": 0, "last_active_at": None}]
