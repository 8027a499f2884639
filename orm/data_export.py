"""What a member's data export reads: everything that concerns them, in a few statements.

One statement per table, whatever the number of relationships: the export
of a member with 20 relationships and 2,000 messages stays well under a
second (`bench/data_export.py`). Messages are read as light records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q

from orm.models import (
    ActionStep,
    Agreement,
    Feedback,
    Meeting,
    MenteeProfile,
    MentorProfile,
    Relationship,
    Report,
    ReportedMessage,
)
from orm.records import MessageRecord, columns, reader
from orm.sql import Params, connection, dialect_of, fetch


@dataclass(frozen=True)
class Shared:
    """The rows of the member's relationships, by relationship id."""

    agreements: list[Agreement]
    action_steps: list[ActionStep]
    meetings: list[Meeting]
    feedback: list[Feedback]
    messages: list[MessageRecord]


async def profiles_of(user_id: int) -> tuple[MentorProfile | None, MenteeProfile | None]:
    return (
        await MentorProfile.get_or_none(user_id=user_id),
        await MenteeProfile.get_or_none(user_id=user_id),
    )


async def relationships_of(user_id: int) -> list[Relationship]:
    """Every relationship the member takes part in, on either side, with both users."""
    mine = Q(mentor__user_id=user_id) | Q(mentee__user_id=user_id)
    return (
        await Relationship.filter(mine)
        .select_related("mentor__user", "mentee__user")
        .order_by("created_at", "id")
    )


_MESSAGE_COLUMNS = columns(MessageRecord, "", "message")
_MESSAGE = reader(MessageRecord)


async def _messages(relationship_ids: Sequence[int]) -> list[MessageRecord]:
    db = connection()
    params = Params(dialect_of(db))
    sql = (
        f"SELECT {_MESSAGE_COLUMNS} FROM message"  # noqa: S608 - placeholders only
        f" WHERE relationship_id IN ({params.add_all(relationship_ids)})"
        " ORDER BY relationship_id, seq"
    )
    return [_MESSAGE(row) for row in await fetch(db, sql, params)]


async def shared_rows(relationship_ids: Sequence[int]) -> Shared:
    if not relationship_ids:
        return Shared([], [], [], [], [])
    ids = list(relationship_ids)
    return Shared(
        agreements=await Agreement.filter(relationship_id__in=ids).order_by("version"),
        action_steps=await ActionStep.filter(relationship_id__in=ids).order_by("created_at", "id"),
        meetings=await Meeting.filter(relationship_id__in=ids).order_by("starts_at", "id"),
        feedback=await Feedback.filter(relationship_id__in=ids).order_by("created_at", "id"),
        messages=await _messages(ids),
    )


@dataclass(frozen=True)
class ReportMade:
    """A report the member filed, as they filed it: never what moderators recorded of it."""

    id: int
    reported_id: int
    reported_name: str
    reason: str
    details: str | None
    status: str
    created_at: datetime
    message_ids: tuple[int, ...]


async def reports_made(reporter_id: int) -> list[ReportMade]:
    """The member's reports, the most recent first, with the ids of the messages they attached."""
    reports = (
        await Report.filter(reporter_id=reporter_id)
        .order_by("-created_at", "-id")
        .values(
            "id",
            "reported_id",
            "reported__display_name",
            "reason",
            "details",
            "status",
            "created_at",
        )
    )
    attached: dict[int, list[int]] = {}
    if reports:
        copies = (
            await ReportedMessage.filter(report_id__in=[row["id"] for row in reports])
            .order_by("id")
            .values("report_id", "message_id")
        )
        for copy in copies:
            attached.setdefault(int(copy["report_id"]), []).append(int(copy["message_id"]))
    return [
        ReportMade(
            id=int(row["id"]),
            reported_id=int(row["reported_id"]),
            reported_name=str(row["reported__display_name"]),
            reason=_value(row["reason"]),
            details=row["details"],
            status=_value(row["status"]),
            created_at=row["created_at"],
            message_ids=tuple(attached.get(int(row["id"]), ())),
        )
        for row in reports
    ]


def _value(stored: object) -> str:
    """An enum column's stored value, whichever form the driver hands it back in."""
    return str(getattr(stored, "value", stored))
