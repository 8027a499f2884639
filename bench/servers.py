"""Starting and stopping uvicorn for a benchmark: one process, or several on one port."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.cpu import with_descendants
from tests.servers import STARTUP_SECONDS, free_port, serving_process, stop
from tests.support import ROOT

# What uvicorn logs (at level info) once a process's lifespan startup is done.
STARTED = b"Application startup complete."


def fast_options() -> list[str]:
    """uvloop and httptools where installed (uvicorn[standard]), and no access log."""
    options = ["--no-access-log", "--log-level", "warning"]
    if importlib.util.find_spec("uvloop"):
        options += ["--loop", "uvloop"]
    if importlib.util.find_spec("httptools"):
        options += ["--http", "httptools"]
    return options


@dataclass(frozen=True)
class Served:
    base: str
    started: tuple[int, ...]  # the processes started, one per server process

    def pids(self) -> list[int]:
        """Every process serving, with any process one of them started."""
        return [pid for started in self.started for pid in with_descendants(started)]


@contextmanager
def uvicorn(app: str, env: Mapping[str, str], folder: Path) -> Iterator[str]:
    """Serve the ASGI app `app` (module:attribute) on a free port; yields its base URL."""
    with uvicorn_processes(app, env, folder) as served:
        yield served.base


@contextmanager
def uvicorn_processes(
    app: str, env: Mapping[str, str], folder: Path, processes: int = 1
) -> Iterator[Served]:
    """`uvicorn`, as `processes` separate processes on one port when more than one.

    Each of several binds its own socket with SO_REUSEPORT (`bench.reuseport`
    says why not `--workers`); ready once every one has finished starting.
    """
    port = free_port()
    # The server runs in `folder`: the project comes from PYTHONPATH.
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    if processes == 1:
        command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
        # The floor apps have no database or broadcast to be ready for: /healthz.
        with serving_process(
            [*command, *fast_options()],
            port=port,
            cwd=folder,
            env=environment,
            ready_path="/healthz",
        ) as (base, server):
            yield Served(base, (server.pid,))
        return
    with ExitStack() as stack:
        started = []
        logs = [folder / f"server-{port}-{index}.log" for index in range(processes)]
        for log in logs:
            command = [sys.executable, "-m", "bench.reuseport", app, "127.0.0.1", str(port)]
            with log.open("wb") as output:
                server = subprocess.Popen(
                    command, cwd=folder, env=environment, stdout=output, stderr=subprocess.STDOUT
                )
            stack.callback(stop, server)
            started.append(server)
        deadline = time.monotonic() + STARTUP_SECONDS
        while not all(STARTED in log.read_bytes() for log in logs):
            for server, log in zip(started, logs, strict=True):
                assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "not every process started"
            time.sleep(0.1)
        base = f"http://127.0.0.1:{port}"
        httpx.get(f"{base}/healthz").raise_for_status()
        yield Served(base, tuple(server.pid for server in started))
