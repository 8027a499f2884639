"""`Mentor.responsiveness`: how a mentor has answered requests so far."""

from __future__ import annotations

import strawberry

from resolvers import responsiveness
from schema.core.context import Info


@strawberry.type(
    description="How a mentor has answered requests so far: a value without identity of its "
    "own (no id), part of its mentor."
)
class Responsiveness:
    requests_answered: int = strawberry.field(
        description="Requests the mentor accepted or declined."
    )
    response_rate: float | None = strawberry.field(
        description="The share of requests answered within 14 days (before they expired), "
        "0 to 1; withdrawn requests do not count. Null while none was answered or expired."
    )
    median_response_hours: float | None = strawberry.field(
        description="The median of the hours from a request to its answer (for an even "
        "count the mean of the two middle ones), to one decimal. Null until there are answers."
    )


async def resolve_responsiveness(mentor_id: int, info: Info) -> Responsiveness:
    answers = await info.context.loaders.answers.load(mentor_id)
    summary = responsiveness.summarise(answers)
    return Responsiveness(
        requests_answered=summary.requests_answered,
        response_rate=summary.response_rate,
        median_response_hours=summary.median_response_hours,
    )
