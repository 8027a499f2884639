"""Bounded reads on SQLite run on the loop's thread from their own connection: what they see."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise.exceptions import OperationalError
from tortoise.transactions import in_transaction

from orm.binding import bound
from orm.database import open_database
from orm.inline_reads import UnboundedRead, table_scans
from orm.models import User
from orm.sql import SQLITE, Params, connection, fetch_bounded
from orm.sqlite_engine import ImmediateSqliteClient
from tests.people import counting_queries
from tests.support import migrated_sqlite


async def name_of(user_id: int) -> str:
    params = Params(SQLITE)
    sql = f'SELECT display_name FROM "user" WHERE id = {params.add(user_id)}'  # noqa: S608
    rows = await fetch_bounded(connection(), sql, params)
    return str(rows[0]["display_name"])


def serving() -> ImmediateSqliteClient:
    db = connection()
    assert isinstance(db, ImmediateSqliteClient)
    return db


@pytest.fixture
async def user(tmp_path: Path) -> AsyncIterator[User]:
    async with open_database(migrated_sqlite(tmp_path / "service.sqlite3")) as ctx:
        with bound(ctx):
            yield await User.create(email="a@example.org", display_name="Ada", password_hash="x")


async def test_a_bounded_read_sees_every_commit_made_before_it(user: User) -> None:
    assert serving().inline is not None
    assert await name_of(user.id) == "Ada"
    await User.filter(id=user.id).update(display_name="Ada L.")
    assert await name_of(user.id) == "Ada L."


async def test_a_bounded_read_is_counted_as_a_statement(user: User) -> None:
    with counting_queries() as sent:
        await name_of(user.id)
    assert len(sent) == 1
    assert 'FROM "user"' in sent[0]


async def test_a_bounded_read_does_not_wait_for_a_transaction_in_progress(user: User) -> None:
    written, release = asyncio.Event(), asyncio.Event()

    async def rename_slowly() -> None:
        async with in_transaction():
            await User.filter(id=user.id).update(display_name="Renamed")
            written.set()
            await release.wait()

    renaming = asyncio.create_task(rename_slowly())
    await written.wait()
    # The transaction holds the serving connection: a read through it would wait.
    assert await asyncio.wait_for(name_of(user.id), timeout=5) == "Ada"
    release.set()
    await renaming
    assert await name_of(user.id) == "Renamed"


async def test_inside_a_transaction_a_bounded_read_sees_its_uncommitted_writes(
    user: User,
) -> None:
    async with in_transaction():
        await User.filter(id=user.id).update(display_name="Renamed")
        assert await name_of(user.id) == "Renamed"


async def test_the_inline_connection_cannot_write(user: User) -> None:
    inline = serving().inline
    assert inline is not None
    with pytest.raises(OperationalError, match="readonly"):
        inline.fetch('DELETE FROM "user"', [])
    assert await User.filter(id=user.id).exists()


async def test_closing_the_database_closes_the_inline_connection(tmp_path: Path) -> None:
    async with open_database(migrated_sqlite(tmp_path / "service.sqlite3")) as ctx:
        with bound(ctx):
            inline = serving().inline
    assert inline is not None
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        inline.fetch("SELECT 1", [])


async def test_an_in_memory_database_is_read_through_the_serving_connection() -> None:
    async with open_database("sqlite://:memory:") as ctx:
        with bound(ctx):
            user = await User.create(email="b@example.org", display_name="Bo", password_hash="x")
            assert serving().inline is None
            assert await name_of(user.id) == "Bo"


async def test_a_read_that_scans_a_table_is_refused_on_the_inline_connection(user: User) -> None:
    params = Params(SQLITE)
    sql = f'SELECT id FROM "user" WHERE display_name = {params.add("Ada")}'  # noqa: S608
    with pytest.raises(UnboundedRead, match="SCAN"):
        await fetch_bounded(connection(), sql, params)
    # Refused again on every try, not only the first.
    with pytest.raises(UnboundedRead):
        await fetch_bounded(connection(), sql, params)


async def test_a_whole_index_scan_is_refused_too(user: User) -> None:
    with pytest.raises(UnboundedRead, match="INDEX"):
        await fetch_bounded(connection(), 'SELECT COUNT(*) AS n FROM "user"', Params(SQLITE))


async def test_a_read_bounded_by_a_key_or_an_index_passes_and_is_checked_once(user: User) -> None:
    inline = serving().inline
    assert inline is not None
    before = set(inline.bounded)
    joined = (
        "WITH wanted (uid) AS (VALUES (CAST(? AS INTEGER)), (CAST(? AS INTEGER))) "
        'SELECT u.id FROM wanted JOIN "user" u ON u.id = wanted.uid'
    )
    for _ in range(3):
        assert await name_of(user.id) == "Ada"
        rows = await fetch_bounded(connection(), joined, _params(user.id, user.id + 1))
        assert [row["id"] for row in rows] == [user.id]
    # One verdict per statement text, kept: the plan is asked for once.
    assert len(inline.bounded - before) == 2
    assert joined in inline.bounded


def _params(*values: int) -> Params:
    params = Params(SQLITE)
    for value in values:
        params.add(value)
    return params


def test_scans_of_derived_rows_and_constants_are_not_table_scans() -> None:
    plan = [
        "MATERIALIZE page",
        "SEARCH message USING COVERING INDEX m_idx (relationship_id=?)",
        "SCAN page",
        "SCAN CONSTANT ROW",
        "SCAN 3 CONSTANT ROWS",
        "SEARCH u USING INTEGER PRIMARY KEY (rowid=?)",
    ]
    assert table_scans(plan) == []
    assert table_scans([*plan, "SCAN m"]) == ["SCAN m"]
