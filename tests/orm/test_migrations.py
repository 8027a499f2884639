"""The committed migrations describe the models exactly, and apply cleanly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from orm.config import APP_LABEL, tortoise_config
from orm.database import open_database


async def test_models_have_no_changes_missing_from_the_migrations(tmp_path: Path) -> None:
    config = tortoise_config(f"sqlite://{tmp_path / 'autodetect.sqlite3'}")
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        assert ctx.apps is not None
        autodetector = MigrationAutodetector(ctx.apps, {APP_LABEL: config["apps"][APP_LABEL]})

        writers = await autodetector.changes()

    assert writers == [], "models changed: run `tortoise makemigrations` and commit the file"


async def test_migrating_twice_changes_nothing_and_keeps_rows(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'twice.sqlite3'}"
    async with open_database(url) as ctx:
        await ctx.db().execute_query(
            'INSERT INTO "user" (email, display_name, password_hash, created_at) '
            "VALUES ('k@example.org', 'K', 'x', '2026-01-01 00:00:00')"
        )
    async with open_database(url):
        pass

    with sqlite3.connect(tmp_path / "twice.sqlite3") as connection:
        assert connection.execute('SELECT COUNT(*) FROM "user"').fetchone() == (1,)
