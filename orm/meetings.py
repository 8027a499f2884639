"""Named queries for meetings: listing, guarded status changes, overlaps, the feed.

A status change is a conditional UPDATE on the status it starts from (as
for relationships), and bumps `sequence`, which calendar apps compare to
know that an event they hold has changed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.expressions import F, Q

from orm import records
from orm.models import Meeting, User
from orm.records import MeetingRecord
from orm.vocabulary import MeetingStatus


def _of_users(user_ids: Collection[int]) -> Q:
    ids = list(user_ids)
    return Q(
        Q(relationship__mentor__user_id__in=ids),
        Q(relationship__mentee__user_id__in=ids),
        join_type=Q.OR,
    )


async def by_relationship(relationship_ids: Sequence[int]) -> list[list[MeetingRecord]]:
    """Each relationship's meetings by start, in one query for them all.

    Records, not models: a workspace lists every meeting of its relationship.
    """
    order = "t.starts_at, t.id"
    return await records.by_relationship(MeetingRecord, "meeting", relationship_ids, order)


async def by_ids(meeting_ids: Sequence[int]) -> list[Meeting | None]:
    """The meetings with these ids, in order (None where there is none)."""
    found = {row.id: row for row in await Meeting.filter(id__in=list(meeting_ids))}
    return [found.get(key) for key in meeting_ids]


async def one(meeting_id: int) -> Meeting | None:
    return await Meeting.get_or_none(id=meeting_id)


async def lock_users(user_ids: Collection[int]) -> None:
    """Lock the members' rows (PostgreSQL; SQLite runs one transaction at a time), in
    id order, so that two bookings for the same person wait for each other."""
    # `only`, not `values_list`: Tortoise drops FOR UPDATE from a values query, which left
    # two confirmations of overlapping meetings free to race (tests/working_together).
    await User.filter(id__in=list(user_ids)).order_by("id").select_for_update().only("id")


@dataclass(frozen=True)
class Booked:
    """A confirmed meeting in the way, and the two members it belongs to."""

    starts_at: datetime
    ends_at: datetime
    user_ids: tuple[int, int]


async def confirmed_overlapping(
    user_ids: Collection[int], starts_at: datetime, ends_at: datetime, *, besides: int | None
) -> list[Booked]:
    """Confirmed meetings of any of these members that overlap [starts_at, ends_at)."""
    query = Meeting.filter(
        _of_users(user_ids),
        status=MeetingStatus.CONFIRMED.value,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if besides is not None:
        query = query.exclude(id=besides)
    rows = await query.order_by("starts_at").values(
        "starts_at",
        "ends_at",
        mentor_user_id="relationship__mentor__user_id",
        mentee_user_id="relationship__mentee__user_id",
    )
    return [
        Booked(row["starts_at"], row["ends_at"], (row["mentor_user_id"], row["mentee_user_id"]))
        for row in rows
    ]


async def propose(
    relationship_id: int, proposed_by_id: int, at: datetime, **fields: Any
) -> Meeting:
    return await Meeting.create(
        relationship_id=relationship_id,
        proposed_by_id=proposed_by_id,
        status=MeetingStatus.PROPOSED.value,
        created_at=at,
        updated_at=at,
        **fields,
    )


async def change_status(
    meeting_id: int,
    before: Collection[MeetingStatus],
    after: MeetingStatus,
    *,
    at: datetime,
    **fields: Any,
) -> bool:
    """Move the meeting on if it is still in one of `before`; False if it moved meanwhile."""
    updated = await Meeting.filter(
        id=meeting_id, status__in=[status.value for status in before]
    ).update(status=after.value, sequence=F("sequence") + 1, updated_at=at, **fields)
    return updated > 0


async def cancel_upcoming(relationship_id: int, at: datetime) -> int:
    """Cancel the relationship's proposed and confirmed meetings that start after `at`,
    bumping each one's sequence (calendars drop them); how many."""
    open_ = [MeetingStatus.PROPOSED.value, MeetingStatus.CONFIRMED.value]
    cancelled: int = await Meeting.filter(
        relationship_id=relationship_id, status__in=open_, starts_at__gt=at
    ).update(status=MeetingStatus.CANCELLED.value, sequence=F("sequence") + 1, updated_at=at)
    return cancelled


# What a calendar feed shows of each meeting: never agendas or messages.
FEED_FIELDS = (
    "id",
    "starts_at",
    "ends_at",
    "channel",
    "location",
    "status",
    "sequence",
    "updated_at",
)


async def for_feed(user_id: int, since: datetime) -> list[dict[str, Any]]:
    """The member's meetings a calendar shows: confirmed at some point, starting from
    `since` on, with both participants' user ids and names, in one query."""
    shown = (MeetingStatus.CONFIRMED.value, MeetingStatus.CANCELLED.value)
    rows: list[dict[str, Any]] = (
        await Meeting.filter(
            _of_users((user_id,)),
            status__in=shown,
            confirmed_at__isnull=False,
            starts_at__gte=since,
        )
        .order_by("starts_at", "id")
        .values(
            *FEED_FIELDS,
            mentor_user_id="relationship__mentor__user_id",
            mentor_name="relationship__mentor__user__display_name",
            mentee_user_id="relationship__mentee__user_id",
            mentee_name="relationship__mentee__user__display_name",
        )
    )
    return rows
