"""CPU time of processes and of the machine, from /proc (Linux), for benches that report shares."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str]:
    # The command name (field 2) may hold spaces: the fields after it start past its ")".
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()


def cpu_seconds(pids: Sequence[int]) -> float | None:
    """User plus system CPU time the processes used so far (Linux), else None."""
    total = 0.0
    for pid in pids:
        try:
            fields = _stat_fields(pid)
        except OSError:
            return None
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def with_descendants(pid: int) -> list[int]:
    """`pid` and every process below it (uvicorn's supervisor and its workers)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            tasks = Path(f"/proc/{current}/task").iterdir()
            for task in tasks:
                queue += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def machine_busy_seconds() -> float | None:
    """CPU seconds all cores spent busy (not idle, not waiting for I/O) since boot."""
    try:
        line = Path("/proc/stat").read_text().splitlines()[0]
    except OSError:
        return None
    values = [int(value) for value in line.split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICKS


@dataclass(frozen=True)
class Shares:
    """Cores busy on average while measuring: the server's processes, the load's, the machine's."""

    server: float
    client: float
    machine: float

    @property
    def rest(self) -> float:
        """The database server, other helpers' work, the kernel's: everything else that ran."""
        return max(0.0, self.machine - self.server - self.client)
