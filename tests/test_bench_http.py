"""bench.http's options: the database it seeds and drops, the servers it starts, wrk's load.

The cheap parts are checked here; one short run on PostgreSQL with two
processes checks that they fit together (the figures are not judged: this
machine's load decides them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg  # type: ignore[import-untyped]
import httpx
import orjson
import pytest

from bench import http
from bench.databases import SERVER_URL, database_exists, fresh_database
from bench.servers import uvicorn_processes
from bench.wrk import Load
from tests.servers import require
from tests.support import ROOT


def test_by_default_one_process_on_sqlite_with_four_connections() -> None:
    args = http.parser().parse_args([])
    assert (args.database, args.processes) == ("sqlite", 1)
    assert http.load_of(args) == Load(threads=1, connections=4, warmup=1.0, seconds=5.0)
    assert http._variants(args, {}) == {}


def test_one_process_keeps_its_broadcast_in_memory(tmp_path: Path) -> None:
    args = http.parser().parse_args(["--database", "postgres"])
    env = http.app_env(args, "postgres://db.example/bench", tmp_path)
    assert env["DATABASE_URL"] == "postgres://db.example/bench"
    assert "BROADCAST_URL" not in env
    # PostgreSQL has no folder of its own: the keys stay with the run's files.
    assert env["KEY_STORE_URL"] == (tmp_path / "keys").as_uri()


def test_several_processes_share_redis_and_get_eight_connections_each(tmp_path: Path) -> None:
    args = http.parser().parse_args(["--database", "postgres", "--processes", "2"])
    env = http.app_env(args, "postgres://db.example/bench", tmp_path)
    assert env["BROADCAST_URL"] == http.REDIS_URL
    assert http.load_of(args).connections == 16
    # The single process they are compared with runs with the same settings.
    assert http._variants(args, env) == {"2 processes": http.Variant(env, 2)}


def test_connections_and_threads_given_are_used() -> None:
    args = http.parser().parse_args(["--processes", "2", "--connections", "6", "--threads", "2"])
    assert (http.load_of(args).connections, http.load_of(args).threads) == (6, 2)


@pytest.mark.parametrize(
    "argv",
    [["--processes", "0"], ["--database", "mysql"], ["--threads", "0"], ["--connections", "-1"]],
)
def test_impossible_options_are_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        http.parser().parse_args(argv)


async def test_sqlite_is_a_file_in_the_run_folder(tmp_path: Path) -> None:
    async with fresh_database("sqlite", tmp_path, "http") as url:
        assert url == f"sqlite://{tmp_path / 'bench.sqlite3'}"


async def _fail_inside(folder: Path, seen: list[tuple[str, asyncpg.Connection]]) -> None:
    async with fresh_database("postgres", folder, "http") as url:
        name = urlsplit(url).path.removeprefix("/")
        assert name.startswith("http_bench_")
        assert urlsplit(url).netloc == urlsplit(SERVER_URL).netloc
        assert await database_exists(name)
        # A server still connected does not keep it (DROP ... WITH (FORCE)).
        seen.append((name, await asyncpg.connect(url, timeout=5)))
        raise RuntimeError("the bench failed")


@pytest.mark.services
async def test_postgres_is_a_new_database_dropped_afterwards_even_after_a_failure(
    tmp_path: Path,
) -> None:
    try:
        await database_exists("postgres")
    except OSError as error:
        require(False, f"PostgreSQL at {SERVER_URL} ({error})")
    seen: list[tuple[str, asyncpg.Connection]] = []
    with pytest.raises(RuntimeError, match="the bench failed"):
        await _fail_inside(tmp_path, seen)
    [(name, held)] = seen
    assert not await database_exists(name)
    with pytest.raises((asyncpg.PostgresError, asyncpg.InterfaceError, OSError)):
        await held.fetchval("SELECT 1")
    held.terminate()


def test_several_processes_serve_one_port_and_stop_together(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_bytes(orjson.dumps({}))
    env = {"BENCH_ANSWERS": str(answers)}
    with uvicorn_processes("bench.floor_starlette:app", env, tmp_path, processes=2) as served:
        pids = served.pids()
        assert len(served.started) == 2
        assert set(served.started) <= set(pids)
        assert all(Path(f"/proc/{pid}").exists() for pid in served.started)
        # Each process binds the port itself: new connections reach one or the other.
        for _ in range(8):
            with httpx.Client() as client:
                assert client.get(f"{served.base}/healthz").text == "ok"
    assert not any(_running(pid) for pid in served.started)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.services
def test_a_short_run_on_postgres_compares_two_processes_with_one(tmp_path: Path) -> None:
    require(shutil.which("wrk") is not None, "wrk")
    command = [sys.executable, "-m", "bench.http", "--database", "postgres", "--processes", "2"]
    command += ["--mentors", "40", "--mentees", "40", "--only", "{ __typename }"]
    command += ["--seconds", "1", "--warmup", "0", "--rounds", "1", "--connections", "4"]
    command += ["--lock", str(tmp_path / "lock")]  # not the machine's: nothing is timed here
    done = subprocess.run(
        command,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "40 mentors on postgres" in done.stdout
    assert "| operation | app req/s | 2 processes req/s | 2 processes / app |" in done.stdout
    # The cores table: the app, the two processes, the in-memory app.
    shares = [line for line in done.stdout.splitlines() if line.startswith("| { __typename } |")]
    assert len(shares) == 3
    assert shares[-1].count(" / ") == 6
    assert not (tmp_path / "data").exists()  # the keys went to the run's folder
