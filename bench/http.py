"""Requests per second through the whole HTTP stack, beside its floor and its ceiling.

.venv/bin/python -m bench.http [--mentors 100000] [--seconds 5] [--rounds 2] [--only Conv ...]
    [--database sqlite|postgres] [--processes 2] [--metrics] [--baseline ../main]

Seeds a fresh database (`--database`: a temporary SQLite file, or a
PostgreSQL database of its own on TEST_POSTGRES_URL, analysed after the load
and dropped at the end) with synthetic profiles plus the relationships and
the conversation of `bench.http_scenarios`, and starts three single-process
uvicorn servers (uvloop and httptools where installed, no access log):

- the app itself;
- `bench.floor_strawberry`: a minimal Strawberry app with its caches, serving
  the same selections from memory (the ceiling of GraphQL execution);
- `bench.floor_starlette`: a bare Starlette endpoint that parses the JSON
  body and answers the same JSON (the floor of the stack);

checks that all of them give the same answer to every scenario, then loads
each with wrk (1 thread, a few connections, a warm-up, then `--seconds`),
scenario by scenario, the three apps in turn, `--rounds` times. Only the
measuring holds the lock file (`--lock`), so that two benchmarks sharing
the machine never overlap. Needs `wrk` on the PATH.

With `--metrics`, one more server runs the app with METRICS_TOKEN set (what
metrics cost); with `--baseline CHECKOUT`, another runs the app from that
checkout (what a change costs: tracing off against no tracing code at all);
with `--processes N`, another runs the app as N uvicorn processes on one
port (SO_REUSEPORT, see `bench.reuseport`: what scaling out on this machine
gives); then the single process and the N all use Redis for live delivery
(BROADCAST_URL, as several processes must) and wrk opens 8 connections per
process to every server. Each is measured in the
same rounds as the app, and compared with it; the cores the servers, wrk and
everything else kept busy are printed beside.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import shutil
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench import servers
from bench.databases import ENGINES, fresh_database
from bench.http_scenarios import SECRET_KEY, Scenario, prepare
from bench.wrk import Figures, Load, measure
from orm.database import open_database
from orm.seed import seed_synthetic
from orm.sql import connection

METRICS_TOKEN = "bench-metrics-token-long-enough-for-the-setting"  # noqa: S105 - a bench's
# Where several processes meet for live delivery (and share persisted documents).
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CONNECTIONS = 4
# With several processes the kernel spreads wrk's connections over them by a
# hash of their addresses: 8 connections all went to one of two processes in
# about 1 % of runs (2 / 2^8), 16 practically never.
CONNECTIONS_PER_PROCESS = 8
APPS = {
    "app": "app:app",
    "strawberry": "bench.floor_strawberry:app",
    "starlette": "bench.floor_starlette:app",
}


@contextmanager
def locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


async def seed(
    url: str, mentors: int, mentees: int, key_store_url: str | None = None
) -> list[Scenario]:
    async with open_database(url):
        report = await seed_synthetic(
            mentors=mentors, mentees=mentees, seed=1, now=datetime.now(UTC)
        )
        print(f"seeded: {report}", flush=True)
        scenarios = await prepare(url, key_store_url)
        if url.startswith("postgres"):
            # As autovacuum would, before the planner's statistics are read.
            await connection().execute_script("VACUUM ANALYZE")
        return scenarios


def answer(base: str, scenario: Scenario, sent: dict[str, Any] | None = None) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {scenario.token}"} if scenario.token else {}
    sent = scenario.body() if sent is None else sent
    reply = httpx.post(f"{base}/graphql", json=sent, headers=headers, timeout=30)
    body: dict[str, Any] = reply.json()
    if reply.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{scenario.name}: {reply.status_code} {body}")
    return body


@dataclass
class Row:
    scenario: Scenario
    figures: dict[str, list[Figures]]

    def rates(self, app: str) -> list[float]:
        return [f.rate for f in self.figures[app]]

    def line(self) -> str:
        def rate(app: str) -> str:
            values = self.rates(app)
            spread = f" ({min(values):,.0f}-{max(values):,.0f})" if len(values) > 1 else ""
            return f"{statistics.median(values):,.0f}{spread}"

        app = statistics.median(self.rates("app"))
        ceiling = statistics.median(self.rates("strawberry"))
        floor = statistics.median(self.rates("starlette"))
        p50 = statistics.median(f.p50_ms for f in self.figures["app"])
        return (
            f"| {self.scenario.name} | {rate('app')} | {p50:.1f} ms | {rate('strawberry')} | "
            f"{rate('starlette')} | {app / ceiling:.0%} | {app / floor:.0%} |"
        )


HEADER = (
    "| operation | app req/s | app p50 | in-memory Strawberry req/s | bare Starlette req/s "
    "| app / Strawberry | app / Starlette |\n| --- | --- | --- | --- | --- | --- | --- |"
)


@dataclass(frozen=True)
class Variant:
    """Another server of the app, measured beside it: its environment and process count."""

    env: dict[str, str]
    processes: int = 1


def key_store_url(folder: Path) -> str:
    """The members' keys beside the run's files, whatever the database (PostgreSQL has no
    folder of its own: its default, `data/keys`, would land in the working directory)."""
    return (folder / "keys").as_uri()


def app_env(args: argparse.Namespace, url: str, folder: Path) -> dict[str, str]:
    """The app's settings: the bench's database and keys; Redis when processes are several."""
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET_KEY,
        "GRAPHIQL": "false",
        "KEY_STORE_URL": key_store_url(folder),
    }
    if args.processes > 1:
        # Several processes deliver live messages to each other through Redis
        # (README, "Running several processes"); the single process they are
        # compared with gets the same, so that only the process count differs.
        env["BROADCAST_URL"] = REDIS_URL
    return env


def load_of(args: argparse.Namespace) -> Load:
    """wrk's load: `--connections`, by default 4, or 8 per process with several."""
    connections = args.connections or (
        CONNECTIONS if args.processes == 1 else CONNECTIONS_PER_PROCESS * args.processes
    )
    return Load(
        threads=args.threads, connections=connections, warmup=args.warmup, seconds=args.seconds
    )


def run(args: argparse.Namespace) -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    with tempfile.TemporaryDirectory() as name:
        rows, variants = asyncio.run(_seed_and_measure(args, Path(name)))
    print(
        f"\n{args.mentors:,} mentors on {args.database}; median of {args.rounds} rounds (range)\n"
    )
    print(HEADER)
    for row in rows:
        print(row.line())
    if variants:
        print("\nthe same app with each variant, against the app as configured above\n")
        print(_variant_header(variants))
        for row in rows:
            print(_variant_line(row, variants))
    if any(f.shares for row in rows for f in row.figures["app"]):
        print(
            "\ncores busy while measured (median of the rounds): server / wrk / everything else\n"
        )
        print(_shares_header(variants))
        for row in rows:
            print(_shares_line(row, variants))


async def _seed_and_measure(
    args: argparse.Namespace, folder: Path
) -> tuple[list[Row], dict[str, Variant]]:
    async with fresh_database(args.database, folder, "http") as url:
        scenarios = await seed(url, args.mentors, args.mentees, key_store_url(folder))
        if args.only:
            scenarios = [s for s in scenarios if any(s.name.startswith(o) for o in args.only)]
        # The servers and wrk block: off the loop, the database is dropped after them.
        return await asyncio.to_thread(_measure, args, folder, url, scenarios)


def _measure(
    args: argparse.Namespace, folder: Path, url: str, scenarios: list[Scenario]
) -> tuple[list[Row], dict[str, Variant]]:
    load = load_of(args)
    with ExitStack() as stack:
        env = app_env(args, url, folder)
        served = {"app": stack.enter_context(servers.uvicorn_processes(APPS["app"], env, folder))}
        variants = _variants(args, env)
        for name, variant in variants.items():
            served[name] = stack.enter_context(
                servers.uvicorn_processes(APPS["app"], variant.env, folder, variant.processes)
            )
        bases = {name: server.base for name, server in served.items()}
        for scenario in scenarios:
            if scenario.by_hash:  # registered, as the client's second request does
                for name in ("app", *variants):
                    answer(bases[name], scenario, scenario.registration())
        answers = {s.query: answer(bases["app"], s) for s in scenarios}
        for name in variants:
            for scenario in scenarios:
                if answer(bases[name], scenario)["data"] != answers[scenario.query]["data"]:
                    raise RuntimeError(f"{name} answers {scenario.name} differently")
        (folder / "answers.json").write_bytes(orjson.dumps(answers))
        floor_env = {"BENCH_ANSWERS": str(folder / "answers.json")}
        for app in ("strawberry", "starlette"):
            served[app] = stack.enter_context(
                servers.uvicorn_processes(APPS[app], floor_env, folder)
            )
            bases[app] = served[app].base
            for scenario in scenarios:
                given = answer(bases[app], scenario, scenario.text_body())
                if given["data"] != answers[scenario.query]["data"]:
                    raise RuntimeError(f"{app} answers {scenario.name} differently")
        rows = [Row(s, {app: [] for app in bases}) for s in scenarios]
        print(
            f"wrk -t{load.threads} -c{load.connections}, "
            f"{load.warmup:g} s warm-up + {load.seconds:g} s each"
        )
        with locked(args.lock):
            print(f"load average at the start: {_loadavg()}", flush=True)
            for _ in range(args.rounds):
                for row in rows:
                    for app, server in served.items():
                        scenario, token = row.scenario, row.scenario.token
                        mine = app == "app" or app in variants
                        body = scenario.body() if mine else scenario.text_body()
                        # Read each time: a worker uvicorn replaced is counted too.
                        pids = server.pids()
                        figures = measure(f"{server.base}/graphql", body, token, load, pids)
                        row.figures[app].append(figures)
            print(f"load average at the end: {_loadavg()}", flush=True)
    return rows, variants


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# The app's variants `--metrics`, `--baseline` and `--processes` add.
def _variants(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Variant]:
    variants: dict[str, Variant] = {}
    if args.metrics:
        variants["metrics on"] = Variant({**env, "METRICS_TOKEN": METRICS_TOKEN})
    if args.baseline is not None:
        variants["baseline"] = Variant({**env, "PYTHONPATH": str(args.baseline.resolve())})
    if args.processes > 1:
        variants[f"{args.processes} processes"] = Variant(env, args.processes)
    return variants


def _variant_header(variants: dict[str, Variant]) -> str:
    names = " | ".join(f"{name} req/s | {name} / app" for name in variants)
    rules = " | ".join("--- | ---" for _ in variants)
    return f"| operation | app req/s | {names} |\n| --- | --- | {rules} |"


def _variant_line(row: Row, variants: dict[str, Variant]) -> str:
    app = statistics.median(row.rates("app"))
    cells = []
    for name in variants:
        rate = statistics.median(row.rates(name))
        cells.append(f"{rate:,.0f} | {rate / app:.1%}")
    return f"| {row.scenario.name} | {app:,.0f} | {' | '.join(cells)} |"


def _shares_header(variants: dict[str, Variant]) -> str:
    names = ["app", *variants, "in-memory Strawberry"]
    return f"| operation | {' | '.join(names)} |\n| --- |{' --- |' * len(names)}"


def _shares_line(row: Row, variants: dict[str, Variant]) -> str:
    def cell(app: str) -> str:
        shares = [f.shares for f in row.figures[app] if f.shares is not None]
        if not shares:
            return "-"
        server = statistics.median(s.server for s in shares)
        client = statistics.median(s.client for s in shares)
        rest = statistics.median(s.rest for s in shares)
        # The server's CPU per request moves less with the machine's load than its rate.
        per_request = statistics.median(
            f.shares.server / f.rate * 1000 for f in row.figures[app] if f.shares and f.rate
        )
        return f"{server:.2f} / {client:.2f} / {rest:.2f} ({per_request:.2f} ms)"

    cells = [cell(app) for app in ("app", *variants, "strawberry")]
    return f"| {row.scenario.name} | {' | '.join(cells)} |"


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=100_000)
    parser.add_argument("--mentees", type=int, default=1_000)
    parser.add_argument("--database", choices=ENGINES, default="sqlite")
    parser.add_argument(
        "--processes",
        type=_positive,
        default=1,
        help="also measure the app as this many uvicorn processes on one port, in the same rounds",
    )
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument(
        "--connections",
        type=_positive,
        default=None,
        help=f"wrk's connections (default {CONNECTIONS}; {CONNECTIONS_PER_PROCESS} per process"
        " with --processes)",
    )
    parser.add_argument("--threads", type=_positive, default=1, help="wrk's threads")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="only the scenarios whose names start so"
    )
    parser.add_argument("--lock", type=Path, default=Path("/tmp/bench.lock"))  # noqa: S108
    parser.add_argument(
        "--metrics",
        action="store_true",
        help="also measure the app with METRICS_TOKEN set (metrics on), in the same rounds",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="CHECKOUT",
        help="also measure the app served from another checkout (e.g. without a feature)",
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    run(parser().parse_args(argv))


if __name__ == "__main__":
    main()
