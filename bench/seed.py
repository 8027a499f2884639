"""How long seeding takes: N mentors and M mentees into a fresh database.

.venv/bin/python -m bench.seed [--engine sqlite|postgres] [--mentors 100000] [--mentees 1000]

SQLite: a file in a temporary folder. PostgreSQL: `seed_bench_<hex>` on
TEST_POSTGRES_URL, dropped at the end. Prints the profiles a second and the
seconds of each phase (building rows and inserting them alternate batch by
batch; the deferred index work and the commit come last).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from urllib.parse import urlsplit, urlunsplit

import asyncpg  # type: ignore[import-untyped]
from tortoise.backends.base.executor import EXECUTOR_CACHE

from orm.database import open_database
from orm.seed import seed_synthetic
from orm.sql import connection

SERVER_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


@asynccontextmanager
async def fresh_database(engine: str) -> AsyncIterator[str]:
    """The URL of an empty database of `engine`, gone again afterwards."""
    if engine == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite://{Path(folder) / 'bench.sqlite3'}"
        return
    name = f"seed_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(SERVER_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            # Tortoise caches INSERT statements per connection name, not per engine.
            EXECUTOR_CACHE.clear()
            yield urlunsplit(urlsplit(SERVER_URL)._replace(path=f"/{name}"))
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def _size(engine: str, url: str) -> int:
    if engine == "sqlite":
        path = Path(urlsplit(url).path)
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    _, rows = await connection().execute_query("SELECT pg_database_size(current_database())")
    return int(rows[0][0])


async def measure(engine: str, mentors: int, mentees: int, seed: int) -> None:
    async with fresh_database(engine) as url:
        started = perf_counter()
        async with open_database(url):
            migrated = perf_counter()
            report = await seed_synthetic(
                mentors=mentors, mentees=mentees, seed=seed, now=datetime.now(UTC)
            )
            size = await _size(engine, url)
    print(f"{engine}: schema created in {migrated - started:.2f} s")
    print(report)
    for phase, seconds in report.phases:
        print(f"  {phase}: {seconds:.1f} s")
    print(
        f"{(mentors + mentees) / report.seconds:,.0f} profiles/s, database {size / 2**20:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--mentors", type=int, default=100_000)
    parser.add_argument("--mentees", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(measure(args.engine, args.mentors, args.mentees, args.seed))


if __name__ == "__main__":
    main()
