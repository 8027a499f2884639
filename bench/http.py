"""Requests per second through the whole HTTP stack, beside its floor and its ceiling.

.venv/bin/python -m bench.http [--mentors 100000] [--seconds 5] [--rounds 2] [--only Conv ...]
    [--metrics] [--baseline ../main]

Seeds a fresh SQLite file (synthetic profiles plus the relationships and the
conversation of `bench.http_scenarios`), starts three single-process uvicorn
servers (uvloop and httptools where installed, no access log):

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
checkout (what a change costs: tracing off against no tracing code at all).
Both are measured in the same rounds as the app, and compared with it.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
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
from bench.http_scenarios import SECRET_KEY, Scenario, prepare
from bench.wrk import Figures, Load, measure
from orm.database import open_database
from orm.seed import seed_synthetic

METRICS_TOKEN = "bench-metrics-token-long-enough-for-the-setting"  # noqa: S105 - a bench's
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


async def seed(url: str, mentors: int, mentees: int) -> list[Scenario]:
    async with open_database(url):
        report = await seed_synthetic(
            mentors=mentors, mentees=mentees, seed=1, now=datetime.now(UTC)
        )
        print(f"seeded: {report}", flush=True)
        return await prepare(url)


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


def run(args: argparse.Namespace) -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    load = Load(connections=args.connections, warmup=args.warmup, seconds=args.seconds)
    with tempfile.TemporaryDirectory() as name, ExitStack() as stack:
        folder = Path(name)
        url = f"sqlite://{folder / 'bench.sqlite3'}"
        scenarios = asyncio.run(seed(url, args.mentors, args.mentees))
        if args.only:
            scenarios = [s for s in scenarios if any(s.name.startswith(o) for o in args.only)]
        env = {"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "GRAPHIQL": "false"}
        bases = {"app": stack.enter_context(servers.uvicorn(APPS["app"], env, folder))}
        variants = _variants(args, env)
        for name, variant_env in variants.items():
            bases[name] = stack.enter_context(servers.uvicorn(APPS["app"], variant_env, folder))
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
            bases[app] = stack.enter_context(servers.uvicorn(APPS[app], floor_env, folder))
            for scenario in scenarios:
                given = answer(bases[app], scenario, scenario.text_body())
                if given["data"] != answers[scenario.query]["data"]:
                    raise RuntimeError(f"{app} answers {scenario.name} differently")
        rows = [Row(s, {app: [] for app in bases}) for s in scenarios]
        print(f"wrk -t1 -c{load.connections}, {load.warmup:g} s warm-up + {load.seconds:g} s each")
        with locked(args.lock):
            for _ in range(args.rounds):
                for row in rows:
                    for app, base in bases.items():
                        scenario, token = row.scenario, row.scenario.token
                        served = app == "app" or app in variants
                        body = scenario.body() if served else scenario.text_body()
                        row.figures[app].append(measure(f"{base}/graphql", body, token, load))
    print(f"\n{args.mentors:,} mentors; median of {args.rounds} rounds (range)\n")
    print(HEADER)
    for row in rows:
        print(row.line())
    if variants:
        print("\nthe same app with each variant, against the app as configured above\n")
        print(_variant_header(variants))
        for row in rows:
            print(_variant_line(row, variants))


# The app's variants `--metrics` and `--baseline` add, each with its environment.
def _variants(args: argparse.Namespace, env: dict[str, str]) -> dict[str, dict[str, str]]:
    variants: dict[str, dict[str, str]] = {}
    if args.metrics:
        variants["metrics on"] = {**env, "METRICS_TOKEN": METRICS_TOKEN}
    if args.baseline is not None:
        variants["baseline"] = {**env, "PYTHONPATH": str(args.baseline.resolve())}
    return variants


def _variant_header(variants: dict[str, dict[str, str]]) -> str:
    names = " | ".join(f"{name} req/s | {name} / app" for name in variants)
    rules = " | ".join("--- | ---" for _ in variants)
    return f"| operation | app req/s | {names} |\n| --- | --- | {rules} |"


def _variant_line(row: Row, variants: dict[str, dict[str, str]]) -> str:
    app = statistics.median(row.rates("app"))
    cells = []
    for name in variants:
        rate = statistics.median(row.rates(name))
        cells.append(f"{rate:,.0f} | {rate / app:.1%}")
    return f"| {row.scenario.name} | {app:,.0f} | {' | '.join(cells)} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=100_000)
    parser.add_argument("--mentees", type=int, default=1_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--connections", type=int, default=4)
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
    run(parser.parse_args())


if __name__ == "__main__":
    main()
