"""Concurrent profile saves through N uvicorn processes sharing one SQLite file.

.venv/bin/python -m bench.concurrent_saves --workers 3 --users 200 --rounds 3

Each round, every user saves their mentor profile at once (the first round
creates them), over at most --in-flight connections. Prints saves per second
per round and the worst latency.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path
from time import perf_counter

import httpx

from tests.servers import uvicorn_server
from tests.test_concurrency import COMPLETE, SECRET, make_users, save


async def measure(workers: int, users: int, rounds: int, in_flight: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{Path(folder) / 'bench.sqlite3'}"
        tokens = await make_users(url, users)
        env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "BROADCAST_URL": "memory://"}
        with uvicorn_server(Path(folder), env, workers=workers) as base_url:
            limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)
            async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=120) as http:

                async def timed(token: str, index: int) -> float:
                    started = perf_counter()
                    await save(http, token, {**COMPLETE, "headline": f"H{index}"})
                    return perf_counter() - started

                for round_number in range(rounds):
                    started = perf_counter()
                    latencies = await asyncio.gather(*(timed(t, round_number) for t in tokens))
                    elapsed = perf_counter() - started
                    print(
                        f"workers={workers} round {round_number + 1}: {users} saves in "
                        f"{elapsed:.2f} s ({users / elapsed:,.0f}/s), "
                        f"slowest {max(latencies):.2f} s"
                    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--in-flight", type=int, default=60, help="open connections at most")
    args = parser.parse_args()
    asyncio.run(measure(args.workers, args.users, args.rounds, args.in_flight))


if __name__ == "__main__":
    main()
