"""Real servers for tests that need them: uvicorn on a free localhost port, and services.

Tests that need something outside Python (node, Redis) skip when it is
missing, unless REQUIRE_SERVICES=1 (CI), where a missing service fails them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support import ROOT

STARTUP_SECONDS = 60


def require(available: bool, what: str) -> None:
    """Skip without `what`, or fail when REQUIRE_SERVICES=1 says it must be there."""
    if available:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{what} is required (REQUIRE_SERVICES=1) but missing")
    pytest.skip(f"{what} is missing")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(
    command: list[str],
    *,
    port: int,
    cwd: Path,
    env: Mapping[str, str],
    ready_path: str = "/readyz",
) -> Iterator[str]:
    """Run `command` (a server listening on `port`) until the block ends; yields its base URL.

    Ready once `ready_path` answers 200; its output goes to a log file in
    `cwd`, shown when it dies before that.
    """
    with serving_process(command, port=port, cwd=cwd, env=env, ready_path=ready_path) as (
        base_url,
        _,
    ):
        yield base_url


@contextmanager
def serving_process(
    command: list[str],
    *,
    port: int,
    cwd: Path,
    env: Mapping[str, str],
    ready_path: str = "/readyz",
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`serving`, also yielding the process (for benches that read its CPU time)."""
    log = cwd / f"server-{port}.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, cwd=cwd, env=dict(env), stdout=output, stderr=subprocess.STDOUT
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                if httpx.get(f"{base_url}{ready_path}").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.1)
        yield base_url, server
    finally:
        stop(server)


def stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM (a graceful shutdown), then SIGKILL if it takes longer than 30 s."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


@contextmanager
def uvicorn_server(tmp_path: Path, env: Mapping[str, str], *, workers: int = 1) -> Iterator[str]:
    """`uvicorn app:app` configured by `env`; yields its base URL, stops it on exit."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "app:app", "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning"]
    command += ["--timeout-graceful-shutdown", "5"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    with serving(command, port=port, cwd=tmp_path, env=environment) as base_url:
        yield base_url
