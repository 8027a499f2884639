"""What moderators do: read reports, resolve them, suspend and reinstate, read the log.

Each function asks `resolvers.roles.require_moderator` first, before it reads
an argument: anyone else gets FORBIDDEN, the same for every input. Every
action a moderator takes appends one entry to the moderation log in the
transaction that makes the change, so that the log holds what happened and
nothing that did not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from orm import moderation as rows
from orm import outbox as mail
from orm import program_stats as stats
from orm.member_keys import MessageKeys
from orm.models import ModerationEntry, Report, ReportedMessage, User
from orm.rules.suspension import is_suspended
from orm.vocabulary import ModerationAction, NotificationKind, ReportAction, ReportStatus
from resolvers import cursors, roles, suspension, validation
from resolvers.catalogue import _
from resolvers.discovery import page_size
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.hub import Hub
from resolvers.ids import parse_id
from resolvers.lifecycle import Outbox
from resolvers.loaders import Loaders

REPORTS_PAGE = (20, 100)  # default and largest `first` of reports
LOG_PAGE = (50, 100)  # default and largest `first` of moderationLog
MAX_REASON = 1000


@dataclass(frozen=True)
class ReportPage:
    reports: list[Report]
    has_next_page: bool
    statuses: tuple[ReportStatus, ...]

    async def total_count(self) -> int:
        return await rows.count_reports(self.statuses)


async def reports(
    loaders: Loaders,
    viewer: User | None,
    statuses: Sequence[ReportStatus] | None,
    first: int | None,
    after: str | None,
) -> ReportPage:
    await roles.require_moderator(loaders, viewer)
    size = page_size(first, REPORTS_PAGE)
    after_id = None if after is None else cursors.parse_report_cursor("after", after)
    wanted = tuple(validation.unique(statuses or ()))
    found = await rows.reports_page(wanted, after_id=after_id, limit=size + 1)
    for report in found:
        loaders.report.prime(report.id, report)
    return ReportPage(found[:size], len(found) > size, wanted)


@dataclass(frozen=True)
class LogPage:
    entries: list[ModerationEntry]
    has_next_page: bool


async def moderation_log(
    loaders: Loaders, viewer: User | None, first: int | None, after: str | None
) -> LogPage:
    await roles.require_moderator(loaders, viewer)
    size = page_size(first, LOG_PAGE)
    before_id = None if after is None else cursors.parse_log_cursor("after", after)
    found = await rows.log_page(before_id=before_id, limit=size + 1)
    return LogPage(found[:size], len(found) > size)


async def program_stats(loaders: Loaders, viewer: User | None, now: datetime) -> stats.ProgramStats:
    await roles.require_moderator(loaders, viewer)
    return await stats.program_stats(now)


def _reason(field: str, value: str) -> str:
    return validation.required_text(field, value, max_length=MAX_REASON, multiline=True)


async def _member(loaders: Loaders, moderator: User, member_id: str) -> User:
    key = parse_id(member_id, what="member")
    member = await loaders.user.load(key)
    if member is None:
        raise NotFound("member")
    if member.id == moderator.id:
        raise BadUserInput("memberId", _("is you: moderators act on other members."))
    return member


async def suspend_member(
    loaders: Loaders,
    viewer: User | None,
    member_id: str,
    reason: str,
    *,
    hub: Hub,
    now: datetime,
    outbox: Outbox,
) -> User:
    moderator = await roles.require_moderator(loaders, viewer)
    text = _reason("reason", reason)
    member = await _member(loaders, moderator, member_id)
    async with rows.transaction():
        _entry, revoked = await suspension.suspend(moderator, member, text, now=now)
    outbox.add(*await suspension.after_suspension(hub, member.id, revoked, now))
    member.suspended_at = member.suspended_at or now
    return member


async def reinstate_member(
    loaders: Loaders, viewer: User | None, member_id: str, reason: str, *, now: datetime
) -> User:
    moderator = await roles.require_moderator(loaders, viewer)
    text = _reason("reason", reason)
    member = await _member(loaders, moderator, member_id)
    async with rows.transaction():
        await suspension.reinstate(moderator, member, text, now=now)
    member.suspended_at = None
    return member


RESOLVED = {
    ReportAction.DISMISS: (ReportStatus.DISMISSED, ModerationAction.DISMISS),
    ReportAction.WARN: (ReportStatus.ACTIONED, ModerationAction.WARN),
    ReportAction.SUSPEND: (ReportStatus.ACTIONED, ModerationAction.SUSPEND),
}


async def resolve_report(
    loaders: Loaders,
    viewer: User | None,
    report_id: str,
    action: ReportAction,
    note: str | None,
    *,
    hub: Hub,
    now: datetime,
    outbox: Outbox,
) -> Report:
    """Close an OPEN report: DISMISS it, WARN the member (an e-mail), or SUSPEND them.

    CONFLICT when it was resolved already (by another moderator meanwhile).
    """
    moderator = await roles.require_moderator(loaders, viewer)
    text = validation.text("note", note, max_length=MAX_REASON, multiline=True) or ""
    report = await rows.report_by_id(parse_id(report_id, what="report"))
    if report is None:
        raise NotFound("report")
    member = await loaders.user.load(report.reported_id)
    assert member is not None, "a report goes with the member it is about"
    status, logged = RESOLVED[action]
    revoked: list[str] = []
    async with rows.transaction():
        if not await rows.close_report(report.id, status, now):
            raise Conflict(_("This report is resolved already."))
        if action is ReportAction.SUSPEND:
            _entry, revoked = await suspension.suspend(
                moderator, member, text, now=now, report_id=report.id
            )
        else:
            await rows.record(moderator.id, member.id, logged, text, now, report_id=report.id)
        if action is ReportAction.WARN:
            # Sent after commit by the outbox sender, in the member's language.
            await mail.queue(NotificationKind.MODERATION_WARNING, member.id, None, now)
    if action is ReportAction.SUSPEND:
        outbox.add(*await suspension.after_suspension(hub, member.id, revoked, now))
        member.suspended_at = member.suspended_at or now
    report.status, report.resolved_at = status, now
    return report


def reported_text(copy: ReportedMessage, keys: MessageKeys) -> str:
    """The body of a report's copy of a message (moderators, and the reporter who sent it)."""
    return rows.reported_body(copy, keys)


async def reports_seen(
    loaders: Loaders, viewer: User | None, keys: Sequence[int]
) -> dict[int, Report]:
    """For `node`: the reports among `keys`, to moderators alone."""
    if not await roles.is_moderator(loaders, viewer):
        return {}
    found = await loaders.report.load_many(keys)
    return {key: row for key, row in zip(keys, found, strict=True) if row is not None}


async def copies_seen(
    loaders: Loaders, viewer: User | None, keys: Sequence[int]
) -> dict[int, ReportedMessage]:
    """For `node`: the reports' copies of messages among `keys`, to moderators alone."""
    if not await roles.is_moderator(loaders, viewer):
        return {}
    found = await loaders.reported_message.load_many(keys)
    return {key: row for key, row in zip(keys, found, strict=True) if row is not None}


async def entries_seen(
    loaders: Loaders, viewer: User | None, keys: Sequence[int]
) -> dict[int, ModerationEntry]:
    """For `node`: the log entries among `keys`, to moderators alone."""
    if not await roles.is_moderator(loaders, viewer):
        return {}
    found = await loaders.moderation_entry.load_many(keys)
    return {key: row for key, row in zip(keys, found, strict=True) if row is not None}


async def is_suspended_member(loaders: Loaders, viewer: User | None, user_id: int) -> bool:
    """`Member.suspended`, for moderators (FORBIDDEN for anyone else)."""
    await roles.require_moderator(loaders, viewer)
    member = await loaders.user.load(user_id)
    return member is not None and is_suspended(member)
