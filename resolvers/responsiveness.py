"""`Mentor.responsiveness`: how many requests a mentor answered, how many in time, how fast.

- `requests_answered`: requests the mentor accepted or declined.
- `response_rate`: answered / (answered + expired), 0 to 1; a request
  expires after 14 days unanswered, so this is the share answered within 14
  days. Withdrawn requests were the mentee's decision and count for neither.
  None while no request was answered or expired.
- `median_response_hours`: the median of the hours between each answered
  request and its answer, exact: the middle wait of the sorted waits, or the
  mean of the two middle ones for an even count; in hours, rounded to one
  decimal. None until there is an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from orm.responsiveness import Answers

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Responsiveness:
    requests_answered: int
    response_rate: float | None
    median_response_hours: float | None


def median(waits: list[timedelta]) -> timedelta | None:
    if not waits:
        return None
    ordered = sorted(waits)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def summarise(answers: Answers) -> Responsiveness:
    answered = len(answers.waits)
    decided = answered + answers.expired
    wait = median(answers.waits)
    return Responsiveness(
        requests_answered=answered,
        response_rate=answered / decided if decided else None,
        median_response_hours=round(wait / HOUR, 1) if wait is not None else None,
    )
