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

from datetime import UTC, datetime, timedelta

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


def _moment(value: datetime) -> str:
    # As Tortoise stores times on SQLite (ISO 8601 with a space), which
    # PostgreSQL reads as well.
    return f"'{value.astimezone(UTC).isoformat(' ')}'"


def open_relationship_mentors_sql(mentee_id: int, now: datetime) -> str:
    """`SELECT mentor_id ...` of the mentors with an open or active relationship with the mentee.

    For hand-written SQL, as `mentor_profile.id NOT IN (<this>)` (`mentor_id`
    is never NULL). The values are inlined: an int, dates and UTC times of
    ours, never text from a client.
    """
    return (
        f"SELECT mentor_id FROM relationship WHERE mentee_id = {int(mentee_id)} AND ("  # noqa: S608
        f"(status = 'REQUESTED' AND created_at >= {_moment(now - REQUEST_LIFETIME)})"
        " OR status = 'ACCEPTED'"
        f" OR (status = 'ACTIVE' AND ends_on >= '{now.astimezone(UTC).date().isoformat()}'))"
    )


def recent_decline_mentors_sql(mentee_id: int, now: datetime) -> str:
    """`SELECT mentor_id ...` of the mentors who declined the mentee within DECLINE_MEMORY."""
    return (
        f"SELECT mentor_id FROM relationship WHERE mentee_id = {int(mentee_id)} "  # noqa: S608
        f"AND status = 'DECLINED' AND responded_at >= {_moment(now - DECLINE_MEMORY)}"
    )


def blocked_mentors_sql(mentee_id: int, now: datetime) -> str:
    """Both of the above: every mentor `blocking` rules out, as one `SELECT mentor_id`."""
    return (
        f"{open_relationship_mentors_sql(mentee_id, now)} "
        f"UNION {recent_decline_mentors_sql(mentee_id, now)}"
    )
