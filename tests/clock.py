"""A clock the tests set and advance: time passes without anyone waiting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class FakeClock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


# A token lifetime for tests that move their clock through months and keep
# using the tokens issued at the start (expiry itself: tests/test_clock.py).
TOKENS_FOR_YEARS = timedelta(days=3650)
