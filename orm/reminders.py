"""What time schedules into the outbox: request and meeting reminders, unread-messages digests.

All are found by the periodic sweep, and all are idempotent: each e-mail
has a `dedupe_key` (`orm.outbox`), so sweeps that overlap, on one process
or several, queue it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from orm.sql import POSTGRES, Params, connection, dialect_of, fetch
from orm.vocabulary import DeliveryStatus, MeetingStatus, NotificationKind, RelationshipStatus

SENDABLE = (RelationshipStatus.ACCEPTED, RelationshipStatus.ACTIVE, RelationshipStatus.COMPLETED)


def _typed(params: Params, value: object, sql_type: str) -> str:
    # A bare placeholder in a SELECT list has no type on PostgreSQL.
    return f"CAST({params.add(value)} AS {sql_type})"


def _moment(params: Params, value: datetime) -> str:
    placeholder = params.add_moment(value)
    return f"CAST({placeholder} AS TIMESTAMPTZ)" if params.dialect == POSTGRES else placeholder


async def queue_request_reminders(
    now: datetime, *, day: int, requested_from: datetime, requested_before: datetime
) -> int:
    """Queue the day-`day` reminder to the mentor of each request still unanswered
    that came in `[requested_from, requested_before)`; how many were new."""
    db = connection()
    # Placeholders are taken in the order they appear (SQLite binds by position).
    params = Params(dialect_of(db))
    sql = (
        "INSERT INTO notification (kind, recipient_id, relationship_id, reminder_day,"  # noqa: S608 - placeholders
        " dedupe_key, status, attempts, due_at, created_at)"
        f" SELECT {_typed(params, NotificationKind.REQUEST_REMINDER.value, 'VARCHAR(24)')},"
        f" p.user_id, r.id, {_typed(params, day, 'SMALLINT')},"
        f" {_typed(params, f'reminder:{day}:', 'VARCHAR(100)')} || CAST(r.id AS VARCHAR(20)),"
        f" {_typed(params, DeliveryStatus.PENDING.value, 'VARCHAR(8)')}, 0,"
        f" {_moment(params, now)}, {_moment(params, now)}"
        " FROM relationship r JOIN mentor_profile p ON p.id = r.mentor_id"
        " LEFT JOIN notification_settings s ON s.user_id = p.user_id"
        f" WHERE r.status = {params.add(RelationshipStatus.REQUESTED.value)}"
        f" AND r.created_at >= {params.add_moment(requested_from)}"
        f" AND r.created_at < {params.add_moment(requested_before)}"
        " AND (s.request_reminders IS NULL OR s.request_reminders)"
        " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id"
    )
    return len(await fetch(db, sql, params))


@dataclass(frozen=True, slots=True)
class Unread:
    """Messages waiting for one participant, not yet covered by a digest."""

    relationship_id: int
    user_id: int
    through_seq: int


def _side(
    params: Params, profile: str, marker: str, first_before: datetime, last_digest_before: datetime
) -> str:
    """One side's conversations with unread messages, the first before `first_before`,
    the member not seen since it, and no digest to them since `last_digest_before`.

    Placeholders are taken in the order they appear (SQLite binds by position).
    """
    return (
        "SELECT r.id AS relationship_id, p.user_id, MAX(m.seq) AS through_seq"  # noqa: S608 - placeholders
        f" FROM relationship r JOIN {profile} p ON p.id = r.{profile.removesuffix('_profile')}_id"
        " LEFT JOIN unread_digest d ON d.relationship_id = r.id AND d.user_id = p.user_id"
        " JOIN message m ON m.relationship_id = r.id AND m.sender_id <> p.user_id"
        f" AND m.seq > r.{marker} AND m.seq > COALESCE(d.through_seq, 0)"
        " LEFT JOIN presence seen ON seen.user_id = p.user_id"
        " LEFT JOIN notification_settings s ON s.user_id = p.user_id"
        f" WHERE r.status IN ({params.add_all([status.value for status in SENDABLE])})"
        f" AND r.last_seq > r.{marker}"
        f" AND (d.queued_at IS NULL OR d.queued_at < {params.add_moment(last_digest_before)})"
        " AND (s.unread_messages IS NULL OR s.unread_messages)"
        " GROUP BY r.id, p.user_id, seen.seen_at"
        f" HAVING MIN(m.created_at) < {params.add_moment(first_before)}"
        " AND (seen.seen_at IS NULL OR seen.seen_at < MIN(m.created_at))"
    )


async def unread_waiting(*, first_before: datetime, last_digest_before: datetime) -> list[Unread]:
    """Conversations whose first unread message (after the last digest) came before
    `first_before` while the member stayed away, and whose last digest, if any,
    was queued before `last_digest_before`."""
    db = connection()
    params = Params(dialect_of(db))
    mentor = _side(params, "mentor_profile", "mentor_read_seq", first_before, last_digest_before)
    mentee = _side(params, "mentee_profile", "mentee_read_seq", first_before, last_digest_before)
    found = await fetch(db, f"{mentor} UNION ALL {mentee}", params)
    return [
        Unread(int(row["relationship_id"]), int(row["user_id"]), int(row["through_seq"]))
        for row in found
    ]


async def mark_digested(waiting: Sequence[Unread], now: datetime) -> None:
    """Remember each digest: the next covers later messages, six hours on at the earliest."""
    db = connection()
    for unread in waiting:
        params = Params(dialect_of(db))
        sql = (
            "INSERT INTO unread_digest (relationship_id, user_id, through_seq, queued_at)"  # noqa: S608 - placeholders
            f" VALUES ({params.add(unread.relationship_id)}, {params.add(unread.user_id)},"
            f" {params.add(unread.through_seq)}, {params.add_moment(now)})"
            " ON CONFLICT (relationship_id, user_id) DO UPDATE"
            " SET through_seq = excluded.through_seq, queued_at = excluded.queued_at"
        )
        await db.execute_query(sql, params.values)


@dataclass(frozen=True, slots=True)
class Attendee:
    """One participant of a confirmed meeting soon, who wants meeting reminders."""

    meeting_id: int
    starts_at: datetime
    relationship_id: int
    user_id: int


def _attendees(params: Params, profile: str, after: datetime, until: datetime) -> str:
    """One side's participants of the confirmed meetings starting in (after, until].

    Placeholders are taken in the order they appear (SQLite binds by position).
    """
    side = profile.removesuffix("_profile")
    return (
        "SELECT m.id AS meeting_id, m.starts_at, r.id AS relationship_id, p.user_id"  # noqa: S608 - placeholders
        " FROM meeting m JOIN relationship r ON r.id = m.relationship_id"
        f" JOIN {profile} p ON p.id = r.{side}_id"
        " LEFT JOIN notification_settings s ON s.user_id = p.user_id"
        f" WHERE m.status = {params.add(MeetingStatus.CONFIRMED.value)}"
        f" AND m.starts_at > {params.add_moment(after)}"
        f" AND m.starts_at <= {params.add_moment(until)}"
        " AND (s.meeting_reminders IS NULL OR s.meeting_reminders)"
    )


async def meeting_attendees(after: datetime, until: datetime) -> list[Attendee]:
    """Both participants (each unless they switched reminders off) of every confirmed
    meeting starting after `after` and at `until` at the latest, by start."""
    db = connection()
    params = Params(dialect_of(db))
    mentor = _attendees(params, "mentor_profile", after, until)
    mentee = _attendees(params, "mentee_profile", after, until)
    found = await fetch(db, f"{mentor} UNION ALL {mentee} ORDER BY 2, 1, 4", params)
    return [
        Attendee(
            int(row["meeting_id"]),
            _aware(row["starts_at"]),
            int(row["relationship_id"]),
            int(row["user_id"]),
        )
        for row in found
    ]


def _aware(value: datetime | str) -> datetime:
    # SQLite returns ISO text; asyncpg aware datetimes.
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
