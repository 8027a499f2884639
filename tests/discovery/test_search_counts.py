"""A text search's count is kept per process under the search version (migration 0018,
`orm.search_counts`), and follows every change that moves a mentor in or out of it,
whoever makes the change: this process, another one, or a bulk load."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from starlette.applications import Starlette

from app import Settings
from orm.search_counts import Counts, Kept
from orm.seed import seed_synthetic
from tests.discovery.support import mentor, search_all
from tests.moderation.helpers import REASON, moderator_client
from tests.support import Client, key_of

ASTRONOMY: dict[str, Any] = {"text": "astronomy", "topics": ["LEADERSHIP"], "languages": ["en"]}


async def counted(client: Client, filter: dict[str, Any] = ASTRONOMY) -> int:
    """The search's totalCount, checked against the mentors its pages list."""
    ids, total = await search_all(client, filter)
    assert total == len(ids)
    return total


def _update(mentor_id: int, assignment: str) -> str:
    return f"UPDATE mentor_profile SET {assignment} WHERE id = {mentor_id}"  # noqa: S608 - the test's own


def _update_member(mentor_id: int, assignment: str) -> str:
    """An update of the member whose mentor profile is `mentor_id`."""
    return (
        f'UPDATE "user" SET {assignment} '  # noqa: S608 - the test's own
        f"WHERE id = (SELECT user_id FROM mentor_profile WHERE id = {mentor_id})"
    )


async def outside(settings: Settings, *statements: str) -> None:
    """Statements on a connection of their own, as another process would send them."""
    url = settings.database_url
    if url.startswith("sqlite"):

        def run() -> None:
            with closing(sqlite3.connect(url.removeprefix("sqlite://"), timeout=10)) as db:
                for statement in statements:
                    db.execute(statement)
                db.commit()

        await asyncio.to_thread(run)
        return
    connection = await asyncpg.connect(url, timeout=5)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def test_a_count_follows_every_change_that_moves_a_mentor_in_or_out(anon: Client) -> None:
    writer, _ = await mentor(anon, headline="Astronomy and leadership")
    assert await counted(anon) == 1
    assert await counted(anon) == 1

    fan, _ = await mentor(anon, name="Ada Astronomy")
    assert await counted(anon) == 2
    await fan.op("UpdateAccount", input={"displayName": "Ada Lovelace"})
    assert await counted(anon) == 1

    await writer.op("SaveMentorProfile", input={"headline": "Leadership coach"})
    assert await counted(anon) == 0
    await writer.op("SaveMentorProfile", input={"headline": "Astronomy coach"})
    assert await counted(anon) == 1
    await writer.op("SaveMentorProfile", input={"topics": ["CAREER_PLANNING"]})
    assert await counted(anon) == 0
    await writer.op("SaveMentorProfile", input={"topics": ["LEADERSHIP"], "languages": ["de"]})
    assert await counted(anon) == 0
    await writer.op("SaveMentorProfile", input={"languages": ["en"]})
    assert await counted(anon) == 1


async def test_a_change_written_by_another_process_reaches_the_count(
    anon: Client, settings: Settings
) -> None:
    _, found = await mentor(anon, headline="Astronomy and leadership")
    one = key_of(found)
    assert await counted(anon) == 1

    await outside(settings, _update(one, "is_complete = FALSE"))
    assert await counted(anon) == 0
    await outside(settings, _update(one, "is_complete = TRUE"))
    assert await counted(anon) == 1
    await outside(settings, _update_member(one, "suspended_at = CURRENT_TIMESTAMP"))
    assert await counted(anon) == 0
    # Neither a new name nor a new headline brings a suspended member's mentor back.
    await outside(
        settings,
        _update_member(one, "display_name = 'Ada Astronomy'"),
        _update(one, "headline = 'Gardening and leadership'"),
    )
    assert await counted(anon) == 0
    # Reinstated, found by what they are called now.
    await outside(settings, _update_member(one, "suspended_at = NULL"))
    assert await counted(anon) == 1
    await outside(settings, _update_member(one, "display_name = 'Ada Lovelace'"))
    assert await counted(anon) == 0


async def test_a_mentor_leaves_the_count_while_not_findable_and_comes_back(
    app: Starlette, anon: Client
) -> None:
    """Findable: the profile complete and the member not suspended (migrations 0017, 0020)."""
    writer, _ = await mentor(anon, headline="Astronomy and leadership")
    late, _ = await mentor(anon, headline="Astronomy and leadership", bio=None)
    assert await counted(anon) == 1

    await late.op("SaveMentorProfile", input={"bio": "Stars, for twenty years."})
    assert await counted(anon) == 2
    await writer.op("SaveMentorProfile", input={"bio": None})
    assert await counted(anon) == 1
    await writer.op("SaveMentorProfile", input={"bio": "Back again."})
    assert await counted(anon) == 2

    moderator = await moderator_client(app, anon)
    await moderator.op("SuspendMember", memberId=writer.user_id, reason=REASON)
    assert await counted(anon) == 1
    await moderator.op("ReinstateMember", memberId=writer.user_id, reason="Appeal upheld.")
    assert await counted(anon) == 2


async def test_a_count_is_kept_until_the_version_moves(anon: Client, settings: Settings) -> None:
    _, found = await mentor(anon, headline="Astronomy and leadership")
    one = key_of(found)
    assert await counted(anon) == 1

    # A change that leaves the version alone, as no writer does: the kept count stays.
    if settings.database_url.startswith("sqlite"):
        await outside(
            settings,
            "DROP TRIGGER search_version_mentor_update",
            _update(one, "headline = 'Gardening'"),
        )
    else:
        await outside(
            settings,
            "ALTER TABLE mentor_search DISABLE TRIGGER search_version_documents",
            _update(one, "headline = 'Gardening'"),
            "ALTER TABLE mentor_search ENABLE TRIGGER search_version_documents",
        )
    _, total = await search_all(anon, ASTRONOMY)
    assert total == 1

    # Any change of the version: counted again.
    await outside(settings, "UPDATE search_version SET value = value + 1")
    assert await counted(anon) == 0


async def test_a_bulk_load_reaches_the_count(app: Starlette, anon: Client) -> None:
    await mentor(anon, headline="Data and leadership")
    data: dict[str, Any] = {"text": "data"}
    assert await counted(anon, data) == 1

    await seed_synthetic(mentors=300, mentees=10, seed=3, now=datetime.now(UTC))

    assert await counted(anon, data) > 1


def test_the_least_recently_asked_search_goes_first() -> None:
    counts = Counts(limit=2)
    first = (("a",), frozenset[str](), frozenset[str]())
    second = (("b",), frozenset[str](), frozenset[str]())
    third = (("c",), frozenset[str](), frozenset[str]())
    counts.put(first, Kept(version=1, count=10))
    counts.put(second, Kept(version=1, count=20))
    assert counts.get(first) == Kept(version=1, count=10)

    counts.put(third, Kept(version=1, count=30))

    assert counts.get(second) is None
    assert counts.get(first) == Kept(version=1, count=10)
    assert counts.get(third) == Kept(version=1, count=30)
