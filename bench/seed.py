"""How long seeding takes: N mentors and M mentees into a fresh SQLite file.

.venv/bin/python -m bench.seed --mentors 100000 --mentees 1000
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter

from orm.database import open_database
from orm.seed import seed_synthetic


async def measure(mentors: int, mentees: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{Path(folder) / 'bench.sqlite3'}"
        started = perf_counter()
        async with open_database(url):
            migrated = perf_counter()
            report = await seed_synthetic(
                mentors=mentors, mentees=mentees, seed=seed, now=datetime.now(UTC)
            )
        size = (Path(folder) / "bench.sqlite3").stat().st_size
    print(f"schema created in {migrated - started:.2f} s")
    print(report)
    print(
        f"{(mentors + mentees) / report.seconds:,.0f} profiles/s, database {size / 2**20:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=100_000)
    parser.add_argument("--mentees", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(measure(args.mentors, args.mentees, args.seed))


if __name__ == "__main__":
    main()
