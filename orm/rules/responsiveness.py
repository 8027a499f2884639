"""How quickly a mentor answers requests: the RESPONSIVENESS points of suggestions.

A request is *decided* once the mentor accepted or declined it, or it expired
unanswered (14 days); a withdrawn request was never the mentor's to answer and
does not count. It was answered *quickly* when the answer came within
`QUICK_HOURS` of the request. Two counters on the mentor's row,
`requests_decided` and `answered_quickly`, are kept in step by the moves that
decide a request (`resolvers.moves`), so that scoring reads two integers and
no relationship.

The points are the share answered quickly, shrunk towards one half by one
imaginary quick and one imaginary slow answer, on a scale of `most` points,
rounded half up:

    round(most * (answered_quickly + 1) / (requests_decided + 2))

A mentor without history gets `most / 2`: the middle of the scale, neither
punished nor favoured; each decided request moves the share a little, so one
lucky or unlucky request does not decide a mentor's rank. Integer arithmetic
only, so that Python and both SQL engines agree exactly.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

# An answer within two days is a quick one.
QUICK_HOURS = 48
QUICK = timedelta(hours=QUICK_HOURS)


class AnswerCounts(Protocol):
    """A mentor's row as far as this rule reads it (a model or a record)."""

    @property
    def requests_decided(self) -> int: ...
    @property
    def answered_quickly(self) -> int: ...


def is_quick(requested_at: datetime, answered_at: datetime) -> bool:
    """An answer within `QUICK_HOURS` of the request."""
    return answered_at - requested_at <= QUICK


def points(mentor: AnswerCounts, most: int) -> int:
    """The RESPONSIVENESS points, 0 to `most`; `most // 2` (rounded up) without history."""
    prior = mentor.requests_decided + 2
    return (2 * most * (mentor.answered_quickly + 1) + prior) // (2 * prior)


def points_sql(alias: str, most: int) -> str:
    """`points` of the row `alias`, as an integer SQL expression (operands never negative)."""
    prior = f"({alias}.requests_decided + 2)"
    return f"((2 * {most} * ({alias}.answered_quickly + 1) + {prior}) / (2 * {prior}))"
