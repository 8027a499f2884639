"""Where "now" comes from: the system clock, or one that tests set and advance.

Request expiry, completion and the decline memory all depend on time, so
every domain function takes `now` from the caller instead of reading the
wall clock itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)
