"""Reports, suspensions and the moderation log: their rows and named queries.

Who may do what is decided in `resolvers.moderation`; this module only reads
and writes. A report's attached messages are copied, sealed again for the
report (`orm.encryption`), in the transaction that files it, so that the
report shows exactly those messages whatever later happens to the
conversation. The log is append-only: this module has no function that
changes or removes an entry, and the database refuses it (migration 0011).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import TransactionContext
from tortoise.transactions import in_transaction

from orm import accounts as account_rows
from orm.encryption import Sealed
from orm.member_keys import ERASED_BODY, MessageKeys, ShreddedKey
from orm.messages import body_of
from orm.models import Message, ModerationEntry, Report, ReportedMessage, User
from orm.sql import Params, connection, dialect_of, fetch_models
from orm.vocabulary import ModerationAction, ReportReason, ReportStatus


def transaction() -> TransactionContext:
    """One moderator action: its change and its log entry commit together."""
    return in_transaction()


def _sealed_for(report_id: int, message_id: int, sender_id: int) -> bytes:
    # Binds a copy to its report and sender: a row moved elsewhere no longer opens.
    return f"report:{report_id}:message:{message_id}:{sender_id}".encode()


def reported_body(copy: ReportedMessage, keys: MessageKeys) -> str:
    """The copy's text; once its author erased their account, what an erased message reads."""
    sealed = Sealed(key_id=copy.key_id, data=bytes(copy.body_sealed))
    context = _sealed_for(copy.report_id, copy.message_id, copy.sender_id)
    try:
        return keys.open(copy.sender_id, sealed, context)
    except ShreddedKey:
        return ERASED_BODY


def _between(params: Params, user_id: int, other_id: int) -> str:
    """The relationship `r` (mentor `mp`, mentee `me`) joins the two, either side each."""
    a, b = params.add(user_id), params.add(other_id)
    c, d = params.add(other_id), params.add(user_id)
    return f"((mp.user_id = {a} AND me.user_id = {b}) OR (mp.user_id = {c} AND me.user_id = {d}))"


async def messages_between(
    message_ids: Collection[int],
    user_id: int,
    other_id: int,
    relationship_id: int | None,
) -> list[Message]:
    """The messages among `message_ids` of a conversation between the two members
    (of `relationship_id`, when given); those of any other conversation are left out."""
    if not message_ids:
        return []
    db = connection()
    params = Params(dialect_of(db))
    # Placeholders are taken in the order they appear in the text (SQLite's `?`).
    sql = (
        "SELECT m.* FROM message m JOIN relationship r ON r.id = m.relationship_id"  # noqa: S608
        " JOIN mentor_profile mp ON mp.id = r.mentor_id"
        " JOIN mentee_profile me ON me.id = r.mentee_id"
        f" WHERE m.id IN ({params.add_all(list(message_ids))})"
        f" AND {_between(params, user_id, other_id)}"
    )
    if relationship_id is not None:
        sql += f" AND r.id = {params.add(relationship_id)}"
    return await fetch_models(Message, sql + " ORDER BY m.relationship_id, m.seq", params)


async def relationship_between(relationship_id: int, user_id: int, other_id: int) -> bool:
    """Whether the relationship joins the two members (either side each)."""
    db = connection()
    params = Params(dialect_of(db))
    sql = (
        "SELECT 1 AS found FROM relationship r"  # noqa: S608 - placeholders only
        " JOIN mentor_profile mp ON mp.id = r.mentor_id"
        " JOIN mentee_profile me ON me.id = r.mentee_id"
        f" WHERE r.id = {params.add(relationship_id)}"
        f" AND {_between(params, user_id, other_id)}"
    )
    return bool(await db.execute_query_dict(sql, params.values))


@dataclass(frozen=True)
class NewReport:
    reporter_id: int
    reported_id: int
    relationship_id: int | None
    reason: ReportReason
    details: str | None
    at: datetime


async def file_report(new: NewReport, messages: Sequence[Message], keys: MessageKeys) -> Report:
    """The report and a copy of each message, in one transaction. A copy is sealed with its
    sender's own data key, like the message: erasing the sender shreds the copy too."""
    async with in_transaction():
        report = await Report.create(
            reporter_id=new.reporter_id,
            reported_id=new.reported_id,
            relationship_id=new.relationship_id,
            reason=new.reason,
            details=new.details,
            status=ReportStatus.OPEN,
            created_at=new.at,
        )
        for message in messages:
            text = body_of(message, keys)
            sealed = keys.seal(
                message.sender_id, text, _sealed_for(report.id, message.id, message.sender_id)
            )
            await ReportedMessage.create(
                report_id=report.id,
                message_id=message.id,
                sender_id=message.sender_id,
                body_sealed=sealed.data,
                key_id=sealed.key_id,
                sent_at=message.created_at,
            )
    return report


async def report_by_id(report_id: int) -> Report | None:
    return await Report.get_or_none(id=report_id)


async def reports_by_ids(report_ids: Sequence[int]) -> list[Report | None]:
    found = {row.id: row for row in await Report.filter(id__in=list(report_ids))}
    return [found.get(key) for key in report_ids]


async def reports_page(
    statuses: Collection[ReportStatus], *, after_id: int | None, limit: int
) -> list[Report]:
    """Reports in the order they came (the oldest waits longest), `limit` after `after_id`."""
    query = Report.all()
    if statuses:
        query = query.filter(status__in=list(statuses))
    if after_id is not None:
        query = query.filter(id__gt=after_id)
    return await query.order_by("id").limit(limit)


async def count_reports(statuses: Collection[ReportStatus]) -> int:
    query = Report.all()
    if statuses:
        query = query.filter(status__in=list(statuses))
    return await query.count()


async def copies_of(report_ids: Sequence[int]) -> list[list[ReportedMessage]]:
    """Each report's attached messages, in the order they were sent."""
    rows = await ReportedMessage.filter(report_id__in=list(report_ids)).order_by("sent_at", "id")
    by_report: dict[int, list[ReportedMessage]] = {key: [] for key in report_ids}
    for row in rows:
        by_report[row.report_id].append(row)
    return [by_report[key] for key in report_ids]


async def close_report(report_id: int, status: ReportStatus, at: datetime) -> bool:
    """OPEN -> `status`; False when it was no longer open (resolved meanwhile)."""
    updated = await Report.filter(id=report_id, status=ReportStatus.OPEN).update(
        status=status, resolved_at=at
    )
    return bool(updated)


async def suspend(user_id: int, at: datetime) -> list[str] | None:
    """Suspend the member and revoke every session, at once: the ids of those that
    were live; None when the member was suspended already."""
    async with in_transaction():
        changed = await User.filter(id=user_id, suspended_at__isnull=True).update(suspended_at=at)
        if not changed:
            return None
        return await account_rows.revoke_sessions_of(user_id, at)


async def reinstate(user_id: int) -> bool:
    """Lift the suspension; False when the member was not suspended."""
    changed = await User.filter(id=user_id, suspended_at__isnull=False).update(suspended_at=None)
    return bool(changed)


async def record(
    moderator_id: int,
    member_id: int,
    action: ModerationAction,
    reason: str,
    at: datetime,
    *,
    report_id: int | None = None,
) -> ModerationEntry:
    """Append one entry to the moderation log."""
    return await ModerationEntry.create(
        moderator_id=moderator_id,
        member_id=member_id,
        report_id=report_id,
        action=action,
        reason=reason,
        at=at,
    )


async def log_page(*, before_id: int | None, limit: int) -> list[ModerationEntry]:
    """The log, newest first: `limit` entries older than `before_id`."""
    query = ModerationEntry.all()
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    return await query.order_by("-id").limit(limit)


async def log_entries_by_ids(entry_ids: Sequence[int]) -> list[ModerationEntry | None]:
    found = {row.id: row for row in await ModerationEntry.filter(id__in=list(entry_ids))}
    return [found.get(key) for key in entry_ids]


async def copies_by_ids(copy_ids: Sequence[int]) -> list[ReportedMessage | None]:
    found = {row.id: row for row in await ReportedMessage.filter(id__in=list(copy_ids))}
    return [found.get(key) for key in copy_ids]
