"""Migrations on PostgreSQL and SQLite alike: upgrades keep every row, parallel starts agree.

PostgreSQL databases are private to each test and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from tortoise.context import TortoiseContext
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

from app import create_app
from orm.config import APP_LABEL, tortoise_config
from orm.database import open_database
from orm.vocabulary import Topic, topic_mask
from tests.relationships.postgres import scratch_database
from tests.support import ROOT, Client, running, settings_for

# Rows as a database at the first migration held them, in SQL both engines read.
ROWS_AT_0001 = [
    'INSERT INTO "user" (id, email, display_name, password_hash, created_at) VALUES'
    " (1, 'olga@example.org', 'Olga Oldtimer', 'x', CURRENT_TIMESTAMP),"
    " (2, 'mika@example.org', 'Mika Mentee', 'x', CURRENT_TIMESTAMP)",
    "INSERT INTO mentor_profile (id, user_id, headline, bio, country, languages, industry,"
    " years_of_experience, topics, channels, contact_links, is_complete, created_at,"
    " updated_at, capacity, accepting_mentees, mentee_count) VALUES (1, 1,"
    " 'Veteran bridge engineer', 'Forty years of steel.', 'DE', '[\"de\", \"en\"]',"
    " 'Engineering', 40, '[\"LEADERSHIP\", \"NETWORKING\"]', '[]', '[]', TRUE,"
    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 2, TRUE, 0)",
    "INSERT INTO mentor_language (mentor_id, language) VALUES (1, 'de'), (1, 'en')",
    "INSERT INTO mentor_topic (mentor_id, topic) VALUES (1, 'LEADERSHIP'), (1, 'NETWORKING')",
    "INSERT INTO mentee_profile (id, user_id, headline, languages, topics, channels,"
    " contact_links, is_complete, created_at, updated_at) VALUES (1, 2, 'Student',"
    " '[\"de\"]', '[]', '[]', '[]', FALSE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.services)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'data' / 'upgrade.sqlite3'}"
        return
    async with scratch_database() as url:
        yield url


@asynccontextmanager
async def migrated_to(url: str, name: str) -> AsyncIterator[TortoiseContext]:
    """The database as migration `name` left it."""
    config = tortoise_config(url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        executor = MigrationExecutor(ctx.db(), {APP_LABEL: config["apps"][APP_LABEL]})
        await executor.migrate([MigrationTarget(app_label=APP_LABEL, name=name)])
        yield ctx


async def test_an_upgrade_from_the_first_schema_keeps_every_row_and_its_meaning(
    database_url: str, tmp_path: Path
) -> None:
    if database_url.startswith("sqlite://"):
        (tmp_path / "data").mkdir()
    async with migrated_to(database_url, "0001_initial") as old:
        for statement in ROWS_AT_0001:
            await old.db().execute_query(statement)

    async with open_database(database_url) as ctx:
        users = await ctx.db().execute_query_dict('SELECT id, email FROM "user" ORDER BY id')
        mentors = await ctx.db().execute_query_dict(
            "SELECT headline, capacity, topic_mask, requests_received, last_active_at"
            " FROM mentor_profile"
        )
    assert users == [
        {"id": 1, "email": "olga@example.org"},
        {"id": 2, "email": "mika@example.org"},
    ]
    assert mentors == [
        {
            "headline": "Veteran bridge engineer",
            "capacity": 2,
            "topic_mask": topic_mask([Topic.LEADERSHIP.value, Topic.NETWORKING.value]),
            "requests_received": 0,
            "last_active_at": None,
        }
    ]

    # The old mentor is found as any new one is: by its words, through the
    # engine's own full-text index, and by its topics.
    app = create_app(settings_for(tmp_path, database_url=database_url))
    async with running(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            found = await Client(http=http).op(
                "SearchMentors", filter={"text": "veteran steel", "topics": ["NETWORKING"]}
            )
    nodes = [edge["node"] for edge in found.data["searchMentors"]["edges"]]
    assert [(node["displayName"], node["languages"]) for node in nodes] == [
        ("Olga Oldtimer", ["de", "en"])
    ]


async def test_processes_starting_together_apply_each_migration_once(
    database_url: str, tmp_path: Path
) -> None:
    command = [sys.executable, "-m", "app", "migrate"]
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "x", "PYTHONPATH": str(ROOT)}
    starts = [
        await asyncio.create_subprocess_exec(
            *command,
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        for _ in range(3)
    ]
    outputs = [(await start.communicate())[0].decode() for start in starts]

    assert [start.returncode for start in starts] == [0, 0, 0], outputs
    async with open_database(database_url, migrate=False) as ctx:
        applied = await ctx.db().execute_query_dict(
            "SELECT name, COUNT(*) AS times FROM tortoise_migrations GROUP BY name"
        )
    assert {row["name"] for row in applied} >= {"0001_initial", "0004_messaging"}
    assert {row["times"] for row in applied} == {1}
