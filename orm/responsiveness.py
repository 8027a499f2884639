"""What a mentor's requests show of their answers: for `Mentor.responsiveness`.

Read from the relationships themselves (a request keeps its `created_at`, an
answer its `responded_at`, an expired request its status), one query per
batch of mentors; the counters on the mentor's row serve scoring alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from tortoise.expressions import Q

from orm.models import Relationship
from orm.vocabulary import RelationshipStatus


@dataclass
class Answers:
    """One mentor's answered requests (how long each took) and expired ones."""

    waits: list[timedelta] = field(default_factory=list)
    expired: int = 0


async def answers_by_mentor(mentor_ids: Sequence[int]) -> list[Answers]:
    found = {key: Answers() for key in mentor_ids}
    decided = Q(responded_at__isnull=False) | Q(status=RelationshipStatus.EXPIRED.value)
    rows = await Relationship.filter(decided, mentor_id__in=list(mentor_ids)).values_list(
        "mentor_id", "created_at", "responded_at"
    )
    for mentor_id, created_at, responded_at in rows:
        answers = found[mentor_id]
        if responded_at is None:
            answers.expired += 1
        else:
            answers.waits.append(responded_at - created_at)
    return [found[key] for key in mentor_ids]
