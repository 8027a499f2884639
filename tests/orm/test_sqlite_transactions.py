"""SQLite under concurrency: transactions that read and then write queue, none fails or is lost."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tortoise.context import TortoiseContext
from tortoise.transactions import in_transaction

from orm.binding import bound
from orm.database import open_database
from orm.models import MentorProfile, User

INCREMENTS_PER_CONNECTION = 40


async def increment(ctx: TortoiseContext, mentor_id: int, start: asyncio.Event) -> None:
    """Read the count, then write it plus one: the shape of accepting a mentee."""
    await start.wait()
    with bound(ctx):
        for _ in range(INCREMENTS_PER_CONNECTION):
            async with in_transaction():
                row = await MentorProfile.get(id=mentor_id)
                await MentorProfile.filter(id=mentor_id).update(mentee_count=row.mentee_count + 1)


async def test_read_then_write_transactions_on_two_connections_all_succeed(
    tmp_path: Path,
) -> None:
    url = f"sqlite://{tmp_path / 'shared.sqlite3'}"
    async with open_database(url) as first, open_database(url, migrate=False) as second:
        with bound(first):
            user = await User.create(email="m@example.org", display_name="M", password_hash="x")
            mentor = await MentorProfile.create(user=user)
        start = asyncio.Event()
        # Two connections, as two processes would have: SQLite's locks decide.
        workers = [asyncio.create_task(increment(ctx, mentor.id, start)) for ctx in (first, second)]
        start.set()
        await asyncio.gather(*workers)

        with bound(first):
            final = await MentorProfile.get(id=mentor.id)
    assert final.mentee_count == 2 * INCREMENTS_PER_CONNECTION
