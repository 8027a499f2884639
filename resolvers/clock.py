"""Where "now" comes from: the system clock, or one that tests set and advance.

There is one clock per process: `Settings.clock`, handed to `Services` (and so
to every request's `Context.now()`), to the `TokenIssuer` and to the
background sweeps. Request expiry, completion, the decline memory, the
time-zone distances of suggestions, and token and session expiry all depend
on time, so every domain and `orm` function takes `now` (or, for what runs
long, such as a live stream, the clock) from its caller instead of reading
the wall clock itself. A test that moves its clock moves all of them.

Durations that no calendar decides (rate-limit windows, send and handshake
timeouts) are measured on the monotonic clock instead: they must not jump
when the wall clock is set, and tests drive them with their own clocks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)
