"""Running wrk against one URL with one POST body, and reading its figures."""

from __future__ import annotations

import re
import resource
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench.cpu import Shares, cpu_seconds, machine_busy_seconds

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}
_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_P50 = re.compile(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_FAILED = re.compile(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*")


@dataclass(frozen=True)
class Load:
    threads: int = 1
    connections: int = 4
    warmup: float = 1.0
    seconds: float = 5.0


@dataclass(frozen=True)
class Figures:
    rate: float  # requests per second
    p50_ms: float
    # Cores busy during the measured run (not the warm-up), when asked for.
    shares: Shares | None = None


def _script(body: dict[str, Any], token: str | None) -> str:
    # A Lua long string holds the JSON as it is: no escaping to get wrong.
    lines = [
        'wrk.method = "POST"',
        f"wrk.body = [==[{orjson.dumps(body).decode()}]==]",
        'wrk.headers["Content-Type"] = "application/json"',
    ]
    if token:
        lines.append(f'wrk.headers["Authorization"] = "Bearer {token}"')
    return "\n".join(lines) + "\n"


def _run(url: str, script: Path, load: Load, seconds: float) -> str:
    command = [
        "wrk",
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 30)
    return done.stdout


def _cpu_sample(server_pids: Sequence[int]) -> tuple[float, float, float] | None:
    """CPU seconds so far of the server, of this process's waited-for children, of the machine."""
    server, machine = cpu_seconds(server_pids), machine_busy_seconds()
    if not server_pids or server is None or machine is None:
        return None
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return server, children.ru_utime + children.ru_stime, machine


def measure(
    url: str,
    body: dict[str, Any],
    token: str | None,
    load: Load,
    server_pids: Sequence[int] = (),
) -> Figures:
    """Requests/s and median latency of POSTing `body` to `url` for `load.seconds`.

    With `server_pids`, also the cores the server, wrk (a waited-for child:
    its time counts once it exits) and the whole machine kept busy meanwhile.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(_script(body, token))
        script.flush()
        if load.warmup > 0:
            _run(url, Path(script.name), load, load.warmup)
        before = _cpu_sample(server_pids)
        started = time.monotonic()
        output = _run(url, Path(script.name), load, load.seconds)
        wall = time.monotonic() - started
        after = _cpu_sample(server_pids)
    failed = _FAILED.search(output)
    if failed:
        raise RuntimeError(f"wrk saw failures against {url}:\n{output}")
    rate, p50 = _RATE.search(output), _P50.search(output)
    if rate is None or p50 is None:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    shares = None
    if before is not None and after is not None:
        server, client, machine = (
            (end - start) / wall for start, end in zip(before, after, strict=True)
        )
        shares = Shares(server=server, client=client, machine=machine)
    return Figures(
        rate=float(rate.group(1)),
        p50_ms=float(p50.group(1)) * _UNITS[p50.group(2)],
        shares=shares,
    )
