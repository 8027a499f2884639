"""The e-mail outbox: queueing, claiming, finishing, and listing for the operator.

A row is queued inside the transaction of the change that causes it (one
INSERT), so it exists exactly when the change committed. Senders claim due
rows with one UPDATE that sets their claim token and a lease: on PostgreSQL
the candidate rows are picked `FOR UPDATE SKIP LOCKED`, so two senders at
once take disjoint rows; SQLite runs one writing statement at a time, so the
same UPDATE is atomic by itself. A sender finishes only the rows that still
carry its token. A row whose lease ran out (its sender died before finishing)
is due again, and is claimed anew.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from orm.sql import POSTGRES, Params, connection, dialect_of, fetch
from orm.vocabulary import DeliveryStatus, Locale, NotificationKind

PENDING = DeliveryStatus.PENDING.value
_COLUMNS = (
    "kind, recipient_id, relationship_id, reminder_day, through_seq, meeting_id,"
    " meeting_starts_at, dedupe_key, status, attempts, due_at, created_at"
)


async def queue(
    kind: NotificationKind,
    recipient_id: int,
    relationship_id: int | None,
    at: datetime,
    *,
    reminder_day: int | None = None,
    through_seq: int | None = None,
    meeting: tuple[int, datetime] | None = None,
    dedupe_key: str | None = None,
) -> bool:
    """Queue one e-mail, due at once, in the caller's transaction.

    `meeting` is a reminder's meeting and the start it reminds of. With a
    `dedupe_key` that is already queued, nothing is added: False.
    """
    db = connection()
    params = Params(dialect_of(db))
    meeting_id, meeting_starts_at = meeting if meeting is not None else (None, None)
    values = ", ".join(
        (
            params.add(kind.value),
            params.add(recipient_id),
            params.add(relationship_id),
            params.add(reminder_day),
            params.add(through_seq),
            params.add(meeting_id),
            "NULL" if meeting_starts_at is None else params.add_moment(meeting_starts_at),
            params.add(dedupe_key),
            params.add(PENDING),
            "0",
            params.add_moment(at),
            params.add_moment(at),
        )
    )
    sql = f"INSERT INTO notification ({_COLUMNS}) VALUES ({values})"  # noqa: S608 - placeholders
    if dedupe_key is None:
        await db.execute_query(sql, params.values)
        return True
    sql += " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id"
    return bool(await db.execute_query_dict(sql, params.values))


def _due(params: Params, now: datetime) -> str:
    """Pending, due, and not held by a live claim."""
    return (
        f"status = {params.add(PENDING)} AND due_at <= {params.add_moment(now)}"
        f" AND (claimed_until IS NULL OR claimed_until <= {params.add_moment(now)})"
    )


async def claim(now: datetime, *, until: datetime, token: str, limit: int) -> list[int]:
    """Claim up to `limit` due rows for the sender holding `token`, leased `until`: their ids."""
    db = connection()
    params = Params(dialect_of(db))
    lock = " FOR UPDATE SKIP LOCKED" if params.dialect == POSTGRES else ""
    sql = (
        f"UPDATE notification SET claim = {params.add(token)},"  # noqa: S608 - placeholders
        f" claimed_until = {params.add_moment(until)}, attempts = attempts + 1"
        " WHERE id IN (SELECT id FROM notification"
        f" WHERE {_due(params, now)}"
        f" ORDER BY due_at, id LIMIT {params.add(limit)}{lock})"
        " RETURNING id"
    )
    return sorted(int(row["id"]) for row in await fetch(db, sql, params))


async def any_due(now: datetime) -> bool:
    """Whether a row is due: a cheap read before a claim, which writes."""
    db = connection()
    params = Params(dialect_of(db))
    sql = f"SELECT 1 FROM notification WHERE {_due(params, now)} LIMIT 1"  # noqa: S608 - placeholders
    return bool(await fetch(db, sql, params))


def _moment(value: Any) -> Any:
    # SQLite returns ISO text; asyncpg aware datetimes.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


@dataclass(frozen=True, slots=True)
class RemindedMeeting:
    """A reminder's meeting as it is at send time, and the start the reminder was for."""

    reminded_start: datetime
    status: str
    starts_at: datetime
    duration_minutes: int
    channel: str
    location: str | None


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A claimed row with what its e-mail is rendered from, read as it is at send time."""

    id: int
    kind: NotificationKind
    attempts: int
    created_at: datetime
    reminder_day: int | None
    through_seq: int | None
    recipient_id: int
    email: str
    display_name: str
    locale: Locale
    # The recipient's switches; None where they never changed any (all on).
    switches: dict[str, bool] | None
    relationship_id: int | None
    relationship_status: str | None
    relationship_created_at: datetime | None
    mentor_user_id: int | None
    mentor_name: str | None
    mentee_user_id: int | None
    mentee_name: str | None
    mentor_read_seq: int | None
    mentee_read_seq: int | None
    # Each side's profile time zone (an IANA name), where it set one.
    mentor_timezone: str | None = None
    mentee_timezone: str | None = None
    # Meeting reminders only; None also when the meeting is gone.
    meeting: RemindedMeeting | None = None


_SWITCH_COLUMNS = (
    "request_received",
    "request_answered",
    "request_reminders",
    "agreement_proposed",
    "unread_messages",
    "meeting_reminders",
)


def _meeting(row: dict[str, Any]) -> RemindedMeeting | None:
    if row["meeting_status"] is None or row["meeting_starts_at"] is None:
        return None
    return RemindedMeeting(
        reminded_start=_moment(row["meeting_starts_at"]),
        status=row["meeting_status"],
        starts_at=_moment(row["meeting_starts_now"]),
        duration_minutes=int(row["meeting_minutes"]),
        channel=row["meeting_channel"],
        location=row["meeting_location"],
    )


def _outgoing(row: dict[str, Any]) -> Outgoing:
    switches = (
        None
        if row["settings_id"] is None
        else {column: bool(row[column]) for column in _SWITCH_COLUMNS}
    )
    return Outgoing(
        id=int(row["id"]),
        kind=NotificationKind(row["kind"]),
        attempts=int(row["attempts"]),
        created_at=_moment(row["created_at"]),
        reminder_day=row["reminder_day"],
        through_seq=row["through_seq"],
        recipient_id=int(row["recipient_id"]),
        email=row["email"],
        display_name=row["display_name"],
        locale=Locale(row["locale"]),
        switches=switches,
        relationship_id=row["relationship_id"],
        relationship_status=row["relationship_status"],
        relationship_created_at=_moment(row["relationship_created_at"]),
        mentor_user_id=row["mentor_user_id"],
        mentor_name=row["mentor_name"],
        mentee_user_id=row["mentee_user_id"],
        mentee_name=row["mentee_name"],
        mentor_read_seq=row["mentor_read_seq"],
        mentee_read_seq=row["mentee_read_seq"],
        mentor_timezone=row["mentor_timezone"],
        mentee_timezone=row["mentee_timezone"],
        meeting=_meeting(row),
    )


async def outgoing(ids: Sequence[int], token: str) -> list[Outgoing]:
    """The claimed rows whose recipient still exists (a deleted member's rows are gone)."""
    if not ids:
        return []
    db = connection()
    params = Params(dialect_of(db))
    switches = ", ".join(f"s.{column}" for column in _SWITCH_COLUMNS)
    sql = (
        "SELECT n.id, n.kind, n.attempts, n.created_at, n.reminder_day, n.through_seq,"  # noqa: S608 - placeholders
        " n.recipient_id, u.email, u.display_name, u.locale,"
        f" s.id AS settings_id, {switches}, n.relationship_id,"
        " r.status AS relationship_status, r.created_at AS relationship_created_at,"
        " r.mentor_read_seq, r.mentee_read_seq,"
        " mp.user_id AS mentor_user_id, mu.display_name AS mentor_name,"
        " ep.user_id AS mentee_user_id, eu.display_name AS mentee_name,"
        " mp.timezone AS mentor_timezone, ep.timezone AS mentee_timezone,"
        " n.meeting_starts_at, m.status AS meeting_status, m.starts_at AS meeting_starts_now,"
        " m.duration_minutes AS meeting_minutes, m.channel AS meeting_channel,"
        " m.location AS meeting_location"
        " FROM notification n"
        ' JOIN "user" u ON u.id = n.recipient_id'
        " LEFT JOIN notification_settings s ON s.user_id = n.recipient_id"
        " LEFT JOIN relationship r ON r.id = n.relationship_id"
        " LEFT JOIN mentor_profile mp ON mp.id = r.mentor_id"
        ' LEFT JOIN "user" mu ON mu.id = mp.user_id'
        " LEFT JOIN mentee_profile ep ON ep.id = r.mentee_id"
        ' LEFT JOIN "user" eu ON eu.id = ep.user_id'
        " LEFT JOIN meeting m ON m.id = n.meeting_id"
        f" WHERE n.id IN ({params.add_all(list(ids))}) AND n.claim = {params.add(token)}"
        " ORDER BY n.id"
    )
    return [_outgoing(row) for row in await fetch(db, sql, params)]


async def finish(
    ids: Sequence[int],
    status: DeliveryStatus,
    now: datetime,
    *,
    token: str,
    error: str | None = None,
) -> None:
    """Close the rows (SENT, SKIPPED, FAILED or DEAD) that still carry `token`."""
    if not ids:
        return
    db = connection()
    params = Params(dialect_of(db))
    sql = (
        f"UPDATE notification SET status = {params.add(status.value)},"  # noqa: S608 - placeholders
        f" finished_at = {params.add_moment(now)}, last_error = {params.add(error)},"
        " claim = NULL, claimed_until = NULL"
        f" WHERE id IN ({params.add_all(list(ids))}) AND claim = {params.add(token)}"
    )
    await db.execute_query(sql, params.values)


async def retry(ids: Sequence[int], due_at: datetime, *, token: str, error: str) -> None:
    """Give the rows back, due again at `due_at` (a temporary failure)."""
    if not ids:
        return
    db = connection()
    params = Params(dialect_of(db))
    sql = (
        f"UPDATE notification SET due_at = {params.add_moment(due_at)},"  # noqa: S608 - placeholders
        f" last_error = {params.add(error)}, claim = NULL, claimed_until = NULL"
        f" WHERE id IN ({params.add_all(list(ids))}) AND claim = {params.add(token)}"
    )
    await db.execute_query(sql, params.values)


@dataclass(frozen=True, slots=True)
class Listed:
    """One outbox row as the operator's listing shows it."""

    id: int
    kind: str
    status: str
    email: str
    attempts: int
    created_at: datetime
    due_at: datetime
    last_error: str | None


async def listing(statuses: Sequence[DeliveryStatus], limit: int) -> list[Listed]:
    """Rows in `statuses`, oldest first."""
    db = connection()
    params = Params(dialect_of(db))
    sql = (
        "SELECT n.id, n.kind, n.status, u.email, n.attempts, n.created_at, n.due_at,"  # noqa: S608 - placeholders
        ' n.last_error FROM notification n JOIN "user" u ON u.id = n.recipient_id'
        f" WHERE n.status IN ({params.add_all([status.value for status in statuses])})"
        f" ORDER BY n.id LIMIT {params.add(limit)}"
    )
    return [
        Listed(
            id=int(row["id"]),
            kind=row["kind"],
            status=row["status"],
            email=row["email"],
            attempts=int(row["attempts"]),
            created_at=_moment(row["created_at"]),
            due_at=_moment(row["due_at"]),
            last_error=row["last_error"],
        )
        for row in await fetch(db, sql, params)
    ]
