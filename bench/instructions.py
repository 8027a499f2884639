"""CPU instructions per request, counted by callgrind: figures a shared machine blurs less.

.venv/bin/python -m bench.instructions [--mentors 2000] [--requests 20] [--only NAME ...]

Requests per second on two shared cores move by a third from one run to
the next; instructions executed move less, though not nothing (the loop's
wake-ups, other threads and garbage collection depend on timing: a larger
`--requests` evens them out). This seeds a fresh SQLite file as
`bench.http` does, then for each scenario runs the app and the in-memory
Strawberry app (`bench.floor_strawberry`) in-process under
`valgrind --tool=callgrind`, calling their ASGI entry points directly (no
sockets, no HTTP client): once with N and once with 2N requests after a
warm-up, so that the difference divided by N is one request's instructions,
start-up and warm-up excluded. The app's figure includes SQLite's work in
every thread; what it cannot show is waiting (on aiosqlite's thread, or on
the GIL), which `bench.http` measures. Needs valgrind on the PATH.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson

from bench.http_scenarios import SECRET_KEY, Scenario
from tests.support import ROOT

_COLLECTED = re.compile(r"Collected : ([\d,]+)")
WARM_UP = 10


async def _call(app: Any, body: bytes, token: str | None) -> None:
    """One POST /graphql straight into the ASGI app; fails unless it answers 200."""
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    received = False

    async def receive() -> dict[str, Any]:
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # no disconnect while answering
        raise AssertionError("unreachable")

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    if sent[0]["status"] != 200:
        raise RuntimeError(f"answered {sent[0]['status']}: {sent[1:]}")


async def _serve(which: str, scenario: Scenario, requests: int) -> None:
    body = orjson.dumps(scenario.body())
    if which == "strawberry":
        from bench.floor_strawberry import app as floor

        # It knows no persisted queries: it gets the text.
        body = orjson.dumps(scenario.text_body())
        for _ in range(WARM_UP + requests):
            await _call(floor, body, scenario.token)
        return
    from app import Settings, create_app

    app = create_app(Settings.from_env())
    async with app.router.lifespan_context(app):
        if scenario.by_hash:
            await _call(app, orjson.dumps(scenario.registration()), scenario.token)
        for _ in range(WARM_UP + requests):
            await _call(app, body, scenario.token)


def _count(folder: Path, which: str, scenario: Scenario, requests: int) -> int:
    """Instructions the whole process executed (every thread) for WARM_UP + `requests`."""
    (folder / "scenario.json").write_bytes(orjson.dumps(scenario.__dict__))
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "bench.instructions",
        "--serve",
        which,
        str(folder / "scenario.json"),
        str(requests),
    ]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite://{folder / 'bench.sqlite3'}",
        "SECRET_KEY": SECRET_KEY,
        "GRAPHIQL": "false",
        "BENCH_ANSWERS": str(folder / "answers.json"),
    }
    done = subprocess.run(command, env=env, cwd=folder, capture_output=True, text=True, check=True)
    found = _COLLECTED.search(done.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_request(folder: Path, which: str, scenario: Scenario, requests: int) -> int:
    once = _count(folder, which, scenario, requests)
    twice = _count(folder, which, scenario, 2 * requests)
    return (twice - once) // requests


def run(args: argparse.Namespace) -> None:
    from bench.http import answer, seed
    from bench.servers import uvicorn

    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url = f"sqlite://{folder / 'bench.sqlite3'}"
        scenarios = asyncio.run(seed(url, args.mentors, args.mentees))
        env = {"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "GRAPHIQL": "false"}
        with uvicorn("app:app", env, folder) as base:
            answers = {s.query: answer(base, s, s.text_body()) for s in scenarios}
        (folder / "answers.json").write_bytes(orjson.dumps(answers))
        print(f"\n{args.mentors:,} mentors; instructions per request (callgrind)\n")
        print("| operation | app | in-memory Strawberry | app / Strawberry |")
        print("| --- | --- | --- | --- |")
        for scenario in scenarios:
            if args.only and not any(scenario.name.startswith(only) for only in args.only):
                continue
            app = per_request(folder, "app", scenario, args.requests)
            floor = per_request(folder, "strawberry", scenario, args.requests)
            # As the rates' ratio: fewer instructions per request is a higher rate.
            print(f"| {scenario.name} | {app:,} | {floor:,} | {floor / app:.0%} |", flush=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        which, path, requests = sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
        asyncio.run(_serve(which, Scenario(**orjson.loads(path.read_bytes())), requests))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=2_000)
    parser.add_argument("--mentees", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--only", nargs="*", help="scenario names starting with these")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
