"""Migrations on PostgreSQL and SQLite alike: upgrades keep every row, parallel starts agree.

PostgreSQL databases are private to each test and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import base64
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from tortoise.context import TortoiseContext
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

from app import create_app
from orm import search as search_rows
from orm.config import APP_LABEL, tortoise_config
from orm.data_migrations import MissingMigrationInput
from orm.database import open_database, sqlite_path
from orm.member_keys import MEMBER_KEY_ID
from orm.vocabulary import Topic, topic_mask
from tests.support import FAST_HASHER, ROOT, Client, running, settings_for

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
    async with migrated_to(database_url, "0001_initial") as old:
        for statement in ROWS_AT_0001:
            await old.db().execute_query(statement)

    async with open_database(database_url) as ctx:
        users = await ctx.db().execute_query_dict('SELECT id, email FROM "user" ORDER BY id')
        mentors = await ctx.db().execute_query_dict(
            "SELECT headline, capacity, topic_mask, mentee_count FROM mentor_profile"
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
            "mentee_count": 0,
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


async def catalog(ctx: TortoiseContext) -> tuple[set[str], set[tuple[str, str]]]:
    """The database's table names, and its indexes as (table, index) names."""
    db = ctx.db()
    if db.capabilities.dialect == "sqlite":
        rows = await db.execute_query_dict("SELECT type, name, tbl_name FROM sqlite_master")
        return (
            {row["name"] for row in rows if row["type"] == "table"},
            {(row["tbl_name"], row["name"]) for row in rows if row["type"] == "index"},
        )
    tables = await db.execute_query_dict(
        "SELECT table_name AS name FROM information_schema.tables"
        " WHERE table_schema = current_schema()"
    )
    indexes = await db.execute_query_dict(
        "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = current_schema()"
    )
    return (
        {row["name"] for row in tables},
        {(row["tablename"], row["indexname"]) for row in indexes},
    )


# 0006 -> 0007: the mentor's topic and language rows and responsiveness
# counters, which nothing read, go; what responsiveness is computed from
# (each request's created_at and responded_at) stays.
ROWS_AT_0006 = [
    *ROWS_AT_0001,
    "UPDATE mentor_profile SET requests_received = 2, requests_answered = 1,"
    " last_active_at = '2026-01-02 10:00:00', mentee_count = 1",
    "INSERT INTO relationship (id, mentor_id, mentee_id, status, request_topics, created_at,"
    " responded_at, updated_at) VALUES (1, 1, 1, 'ACCEPTED', '[]', '2026-01-01 08:00:00',"
    " '2026-01-02 10:00:00', CURRENT_TIMESTAMP)",
]


async def test_an_upgrade_from_0006_drops_the_unread_data_and_keeps_the_rest(
    database_url: str, tmp_path: Path
) -> None:
    async with migrated_to(database_url, "0006_message_seq_trigger") as old:
        for statement in ROWS_AT_0006:
            await old.db().execute_query(statement)
        tables_before, indexes_before = await catalog(old)

    async with open_database(database_url) as ctx:
        tables, indexes = await catalog(ctx)
        (mentor,) = await ctx.db().execute_query_dict("SELECT * FROM mentor_profile")
        answered = await ctx.db().execute_query_dict(
            "SELECT status, created_at, responded_at FROM relationship"
        )
        # The full-text triggers on mentor_profile survived: an edit is found.
        await ctx.db().execute_query(
            "UPDATE mentor_profile SET headline = 'Retired bridge engineer' WHERE id = 1"
        )
        found = await search_rows.search_mentors(
            search_rows.MentorSearch(words=search_rows.words_of("retired")),
            first=5,
            after_id=None,
        )

    assert {"mentor_topic", "mentor_language"} <= tables_before
    assert tables_before - tables == {"mentor_topic", "mentor_language"}
    # Only the dropped tables' indexes went.
    # Every other index stays, the suggestion index that 0002 wrote by hand too.
    dropped = {"mentor_topic", "mentor_language"}
    # (Later migrations add tables and indexes of their own: none of the old ones goes.)
    kept = {(table, name) for table, name in indexes if table in tables_before}
    assert {(table, name) for table, name in indexes_before if table not in dropped} <= kept
    assert ("mentor_profile", "mentor_suggestion_idx") in indexes
    assert not {"requests_received", "requests_answered", "last_active_at"} & mentor.keys()
    assert (mentor["headline"], mentor["mentee_count"]) == ("Veteran bridge engineer", 1)
    assert [row["status"] for row in answered] == ["ACCEPTED"]
    assert answered[0]["responded_at"] is not None
    assert [mentor.profile.id for mentor in found.mentors] == [1]


async def test_processes_starting_together_apply_each_migration_once(
    database_url: str, tmp_path: Path
) -> None:
    command = [sys.executable, "-m", "app", "migrate"]
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "x" * 40, "PYTHONPATH": str(ROOT)}
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


PASSWORD = "a long passphrase"

# A conversation's messages as 0003 stored them, in plain text: (id,
# relationship, sender, created_at, body). Ids are not in time order, and two
# messages share a time, which the id breaks.
MESSAGES_AT_0003 = [
    (1, 1, 2, "2026-01-01 09:00:00", "Zebra-otter-1: could you mentor me?"),
    (2, 2, 3, "2026-01-01 09:30:00", "Quokka-lynx-1: a request from the second mentee"),
    (3, 1, 1, "2026-01-03 08:00:00", "Zebra-otter-4: the last one, sent first by id"),
    (4, 1, 1, "2026-01-02 10:00:00", "Zebra-otter-2: gladly, tell me more"),
    (5, 1, 2, "2026-01-02 10:00:00", "Zebra-otter-3: same second, later id"),
    (6, 2, 3, "2026-01-01 11:00:00", "Quokka-lynx-2: and a follow-up"),
]
# Each relationship's bodies in the order the service shows them.
CONVERSATIONS = {
    1: [MESSAGES_AT_0003[i][4] for i in (0, 3, 4, 2)],
    2: [MESSAGES_AT_0003[i][4] for i in (1, 5)],
}


def rows_at_0003(password_hash: str) -> list[str]:
    """Three users, one mentor, two mentees, three relationships (one silent)."""
    users = ", ".join(
        f"({user_id}, '{email}', '{name}', '{password_hash}', CURRENT_TIMESTAMP)"
        for user_id, email, name in [
            (1, "olga@example.org", "Olga Oldtimer"),
            (2, "mika@example.org", "Mika Mentee"),
            (3, "nora@example.org", "Nora Newcomer"),
        ]
    )
    mentees = ", ".join(
        f"({profile_id}, {profile_id + 1}, 'Student', '[\"de\"]', '[]', '[]', '[]', FALSE,"
        " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        for profile_id in (1, 2)
    )
    relationships = ", ".join(
        f"({rid}, 1, {mentee}, '{status}', '[]', '2026-01-01 08:00:00', CURRENT_TIMESTAMP)"
        for rid, mentee, status in [(1, 1, "ACCEPTED"), (2, 2, "REQUESTED"), (3, 2, "DECLINED")]
    )
    # In id order, without ids: the engine numbers them, as it did at 0003.
    messages = ", ".join(
        f"({rid}, {sender}, '{at}', '{body}')" for _, rid, sender, at, body in MESSAGES_AT_0003
    )
    # The values are this module's constants.
    return [
        f'INSERT INTO "user" (id, email, display_name, password_hash, created_at) VALUES {users}',  # noqa: S608
        ROWS_AT_0001[1],
        "INSERT INTO mentee_profile (id, user_id, headline, languages, topics, channels,"  # noqa: S608
        f" contact_links, is_complete, created_at, updated_at) VALUES {mentees}",
        "INSERT INTO relationship (id, mentor_id, mentee_id, status, request_topics,"  # noqa: S608
        f" created_at, updated_at) VALUES {relationships}",
        f"INSERT INTO message (relationship_id, sender_id, created_at, body) VALUES {messages}",  # noqa: S608
    ]


async def signed_in(http: httpx.AsyncClient, email: str) -> Client:
    reply = await Client(http=http).op("Login", email=email, password=PASSWORD)
    login = reply.data["login"]
    return Client(http=http).signed_in(login["token"], login["user"]["id"])


async def shown_bodies(client: Client, relationship_id: int) -> list[str]:
    reply = await client.op("Conversation", relationshipId=str(relationship_id), last=50)
    return [edge["node"]["body"] for edge in reply.data["relationship"]["messages"]["edges"]]


async def plain_text_in_postgres(ctx: TortoiseContext, needles: list[str]) -> list[str]:
    """The needles found in any page of the message table, dead row versions included."""
    await ctx.db().execute_script("CREATE EXTENSION IF NOT EXISTS pageinspect")
    rows = await ctx.db().execute_query_dict(
        "SELECT get_raw_page('message', block) AS page FROM generate_series(0,"
        " (pg_relation_size('message') / current_setting('block_size')::int) - 1) AS block"
    )
    pages = b"".join(bytes(row["page"]) for row in rows)
    return [needle for needle in needles if needle.encode() in pages]


def plain_text_in_sqlite(database_url: str, needles: list[str]) -> list[str]:
    """The needles found in the SQLite file, its write-ahead log or its index."""
    path = sqlite_path(database_url)
    if path is None:
        return []
    stored = b"".join(file.read_bytes() for file in path.parent.glob(path.name + "*"))
    return [needle for needle in needles if needle.encode() in stored]


async def test_an_upgrade_from_0003_seals_and_numbers_every_message(
    database_url: str, tmp_path: Path
) -> None:
    if database_url.startswith("sqlite://"):
        # As SQLite builds whose default leaves freed pages as they were.
        database_url += "?secure_delete=0"
    async with migrated_to(database_url, "0003_relationships") as old:
        for statement in rows_at_0003(FAST_HASHER.hash(PASSWORD)):
            await old.db().execute_query(statement)

    # Starting the service upgrades the database, with its keyring.
    settings = settings_for(tmp_path, database_url=database_url)
    app = create_app(settings)
    async with running(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            olga = await signed_in(http, "olga@example.org")
            nora = await signed_in(http, "nora@example.org")
            shown = {1: await shown_bodies(olga, 1), 2: await shown_bodies(nora, 2)}
            await olga.op("SendMessage", input={"relationshipId": "1", "body": "After the upgrade"})
            shown_after = await shown_bodies(olga, 1)
        ctx = app.state.tortoise
        stored = await ctx.db().execute_query_dict(
            "SELECT id, relationship_id, seq, key_id FROM message ORDER BY relationship_id, seq"
        )
        counters = await ctx.db().execute_query_dict(
            "SELECT id, last_seq, mentor_read_seq, mentee_read_seq FROM relationship ORDER BY id"
        )
        in_postgres = (
            []
            if database_url.startswith("sqlite://")
            else await plain_text_in_postgres(ctx, [m[4] for m in MESSAGES_AT_0003])
        )
        # While the service runs: its write-ahead log is there too.
        in_sqlite = plain_text_in_sqlite(database_url, [m[4] for m in MESSAGES_AT_0003])

    assert shown == {1: CONVERSATIONS[1], 2: CONVERSATIONS[2]}
    assert shown_after == [*CONVERSATIONS[1], "After the upgrade"]
    assert [(row["relationship_id"], row["seq"], row["id"]) for row in stored] == [
        (1, 1, 1),
        (1, 2, 4),
        (1, 3, 5),
        (1, 4, 3),
        (1, 5, 7),
        (2, 1, 2),
        (2, 2, 6),
    ]
    # Sealed with the keyring by 0004, then moved to each sender's own key by 0014.
    assert {row["key_id"] for row in stored} == {MEMBER_KEY_ID}
    assert counters == [
        {"id": 1, "last_seq": 5, "mentor_read_seq": 0, "mentee_read_seq": 0},
        {"id": 2, "last_seq": 2, "mentor_read_seq": 0, "mentee_read_seq": 0},
        {"id": 3, "last_seq": 0, "mentor_read_seq": 0, "mentee_read_seq": 0},
    ]
    assert in_postgres == []
    assert in_sqlite == []


async def test_an_upgrade_without_the_keyring_refuses_and_keeps_0003(
    database_url: str, tmp_path: Path
) -> None:
    async with migrated_to(database_url, "0003_relationships") as old:
        for statement in rows_at_0003(FAST_HASHER.hash(PASSWORD)):
            await old.db().execute_query(statement)

    with pytest.raises(MissingMigrationInput):
        async with open_database(database_url):
            pass

    async with open_database(database_url, migrate=False) as ctx:
        bodies = await ctx.db().execute_query_dict("SELECT body FROM message ORDER BY id")
        applied = await ctx.db().execute_query_dict("SELECT name FROM tortoise_migrations")
    assert [row["body"] for row in bodies] == [m[4] for m in MESSAGES_AT_0003]
    assert "0004_messaging" not in {row["name"] for row in applied}


async def test_the_migrate_command_seals_with_the_configured_keys(
    database_url: str, tmp_path: Path
) -> None:
    async with migrated_to(database_url, "0003_relationships") as old:
        for statement in rows_at_0003(FAST_HASHER.hash(PASSWORD)):
            await old.db().execute_query(statement)
    message_keys = f"k7:{base64.b64encode(os.urandom(32)).decode()}"
    env = {"DATABASE_URL": database_url, "MESSAGE_KEYS": message_keys, "PYTHONPATH": str(ROOT)}

    migrate = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app",
        "migrate",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = (await migrate.communicate())[0].decode()

    assert migrate.returncode == 0, output
    app = create_app(settings_for(tmp_path, database_url=database_url, message_keys=message_keys))
    async with running(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            shown = await shown_bodies(await signed_in(http, "olga@example.org"), 1)
        key_ids = await app.state.tortoise.db().execute_query_dict(
            "SELECT DISTINCT key_id FROM message"
        )
        store = app.state.services.message_keys.store
        wrapped_by = {wrapped.key_id for m in store.members() if (wrapped := store.load(m))}
    assert shown == CONVERSATIONS[1]
    assert key_ids == [{"key_id": MEMBER_KEY_ID}]
    # The members' keys, in the key store beside the data, wrapped by the configured key.
    assert wrapped_by == {"k7"}
