"""Which mentors a mentee's relationships rule out of their suggestions.

The contract's hard filters: no mentor with an open or active relationship
with the mentee, none who declined the mentee in the last 90 days, none
without a free place. Discovery's eligibility module uses these pieces:
`blocking` as a subquery of Tortoise querysets, `eligible_mentors` as a
filter on MentorProfile, `blocked_mentor_ids` for one mentee in Python, and
`blocked_mentors_sql` inside hand-written SQL.

Requests past their lifetime and ACTIVE relationships past their end date
no longer block, even before a sweep has written EXPIRED or COMPLETED, so
that suggestions do not depend on when the sweep last ran.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.expressions import F, Q, Subquery
from tortoise.queryset import QuerySet

from orm.models import Relationship
from orm.relationships import REQUEST_LIFETIME
from orm.vocabulary import RelationshipStatus

Status = RelationshipStatus

# A mentor who declined a mentee is not suggested to them again this long.
DECLINE_MEMORY = timedelta(days=90)


def blocking(mentee_id: int, now: datetime) -> QuerySet[Relationship]:
    """The mentee's relationships that keep their mentor out of the suggestions."""
    return Relationship.filter(
        Q(status=Status.REQUESTED.value, created_at__gte=now - REQUEST_LIFETIME)
        | Q(status=Status.ACCEPTED.value)
        | Q(status=Status.ACTIVE.value, ends_on__gte=now.date())
        | Q(status=Status.DECLINED.value, responded_at__gte=now - DECLINE_MEMORY),
        mentee_id=mentee_id,
    )


async def blocked_mentor_ids(mentee_id: int, now: datetime) -> set[int]:
    found = await blocking(mentee_id, now).values("mentor_id")
    return {int(row["mentor_id"]) for row in found}


def has_free_place() -> Q:
    """For MentorProfile querysets: accepted plus active relationships below capacity."""
    return Q(mentee_count__lt=F("capacity"))


def eligible_mentors(mentee_id: int, now: datetime) -> Q:
    """For MentorProfile querysets: not blocked for this mentee, with a free place."""
    blocked = Subquery(blocking(mentee_id, now).values("mentor_id"))
    return ~Q(id__in=blocked) & has_free_place()


def blocked_mentors_sql(mentee_id: int, now: datetime) -> str:
    """`SELECT mentor_id ...` of the blocked mentors, values inlined, for raw SQL.

    Use as `mentor_profile.id NOT IN (<this>)`; `mentor_id` is never NULL.
    Inlining is safe here: the values are an int and datetimes, never text
    from a client, and Tortoise renders them in the connection's dialect.
    """
    return blocking(mentee_id, now).values("mentor_id").sql(params_inline=True)
