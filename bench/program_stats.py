"""How long `programStats` takes at 100,000 mentors, on SQLite and on PostgreSQL.

.venv/bin/python -m bench.program_stats [--mentors 100000] [--engines sqlite postgres]

Each engine gets a fresh database: the synthetic profiles of `python -m app
seed`, then relationships in every status (one per 5 mentors) with ten
messages each, spread over the last year, and the planner's statistics.
The figure is the median and the slowest of `--runs` calls of
`orm.program_stats.program_stats` (its two statements), after one warm-up.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import perf_counter
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import asyncpg  # type: ignore[import-untyped]

from orm.database import open_database
from orm.models import MenteeProfile, MentorProfile, Message, Relationship
from orm.program_stats import program_stats
from orm.seed import seed_synthetic
from orm.sql import POSTGRES, connection, dialect_of

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
STATUSES = (
    "REQUESTED",
    "ACCEPTED",
    "DECLINED",
    "WITHDRAWN",
    "EXPIRED",
    "ACTIVE",
    "COMPLETED",
    "ENDED",
)
ANSWERED = {"ACCEPTED", "DECLINED", "ACTIVE", "COMPLETED", "ENDED"}
MESSAGES_EACH = 10
BATCH = 5000


@asynccontextmanager
async def _sqlite() -> AsyncIterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite://{Path(folder) / 'stats.sqlite3'}"


@asynccontextmanager
async def _postgres(server_url: str) -> AsyncIterator[str]:
    name = f"mentoring_bench_{uuid4().hex[:12]}"
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
        finally:
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def _relationships(rng: random.Random, count: int) -> None:
    mentors = await MentorProfile.all().values_list("id", flat=True)
    mentees = await MenteeProfile.all().values_list("id", "user_id")
    rows = []
    for _ in range(count):
        status = rng.choice(STATUSES)
        created = NOW - timedelta(minutes=rng.randrange(365 * 24 * 60))
        answered = created + timedelta(minutes=rng.randrange(14 * 24 * 60))
        rows.append(
            Relationship(
                mentor_id=rng.choice(mentors),
                mentee_id=rng.choice(mentees)[0],
                status=status,
                created_at=created,
                responded_at=answered if status in ANSWERED else None,
            )
        )
    await Relationship.bulk_create(rows, batch_size=BATCH)
    users = dict(mentees)
    messages: list[Message] = []
    for relationship in await Relationship.all().values("id", "mentee_id", "created_at"):
        for seq in range(1, MESSAGES_EACH + 1):
            messages.append(
                Message(
                    relationship_id=relationship["id"],
                    sender_id=users[relationship["mentee_id"]],
                    seq=seq,
                    body_sealed=b"\x00" * 64,  # counted, never opened
                    key_id="bench",
                    created_at=relationship["created_at"] + timedelta(hours=seq),
                )
            )
        if len(messages) >= BATCH:
            await Message.bulk_create(messages)
            messages = []
    await Message.bulk_create(messages)
    db = connection()
    await db.execute_script("ANALYZE" if dialect_of(db) == POSTGRES else "ANALYZE;")


async def measure(
    engine: str, url_of: AbstractAsyncContextManager[str], mentors: int, runs: int
) -> None:
    async with url_of as url, open_database(url):
        started = perf_counter()
        await seed_synthetic(mentors=mentors, mentees=mentors // 10, seed=1, now=NOW)
        await _relationships(random.Random(1), mentors // 5)
        seeded = perf_counter() - started
        await program_stats(NOW)  # warm-up: pages and plans
        times = []
        for _ in range(runs):
            started = perf_counter()
            figures = await program_stats(NOW)
            times.append((perf_counter() - started) * 1000)
    print(
        f"{engine}: {mentors:,} mentors, {mentors // 5:,} relationships,"
        f" {mentors // 5 * MESSAGES_EACH:,} messages (seeded in {seeded:.0f} s):"
        f" programStats median {statistics.median(times):.1f} ms, slowest {max(times):.1f} ms"
        f" over {runs} runs"
    )
    print(f"  {figures}")


def run_alone(engine: str, mentors: int, runs: int, postgres_url: str) -> None:
    """One engine per process: Tortoise caches each model's INSERT per connection
    name, so a second engine in the same process would get the first's placeholders."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.program_stats",
            f"--mentors={mentors}",
            f"--runs={runs}",
            f"--postgres-url={postgres_url}",
            "--engines",
            engine,
        ],
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--engines", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    if len(args.engines) > 1:
        for engine in args.engines:
            run_alone(engine, args.mentors, args.runs, args.postgres_url)
        return
    [engine] = args.engines
    url_of = _sqlite() if engine == "sqlite" else _postgres(args.postgres_url)
    asyncio.run(measure(engine, url_of, args.mentors, args.runs))


if __name__ == "__main__":
    main()
