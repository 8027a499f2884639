"""Reports and moderation in GraphQL: reportMember for members, the rest for moderators.

Every moderation field carries the MODERATORS permissions (UNAUTHENTICATED,
then FORBIDDEN, before any argument is read); the resolvers ask again, so
that the rule holds whichever way a field is reached.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from orm.models import ModerationEntry as EntryRow
from orm.models import Report as ReportRow
from orm.models import ReportedMessage as CopyRow
from orm.program_stats import ProgramStats as StatsRecord
from resolvers import cursors, moderation, reports
from resolvers.ids import Kind, global_id
from schema.core.context import Context, Info
from schema.enums import ModerationAction, ReportAction, ReportReason, ReportStatus
from schema.identity import Node
from schema.members import Member
from schema.paging import PageInfo
from schema.permissions import MODERATORS, SIGNED_IN


@strawberry.type(
    description="A report's copy of one message the reporter attached: moderators read "
    "these, and nothing else of the conversation."
)
class ReportedMessage(Node):
    body: str = strawberry.field(description="The message as it was when reported.")
    sent_at: datetime = strawberry.field(description="When the message was sent.")
    sender: Member = strawberry.field(description="Who wrote it: the reporter or the reported.")

    @classmethod
    def from_row(cls, row: CopyRow, context: Context) -> ReportedMessage:
        return cls(
            id=strawberry.ID(global_id(Kind.REPORTED_MESSAGE, row.id)),
            body=moderation.reported_text(row, context.services.message_keys),
            sent_at=row.sent_at,
            sender=Member.from_id(context, row.sender_id),
        )


async def resolve_report_messages(
    root: strawberry.Parent[Report], info: Info
) -> list[ReportedMessage]:
    copies = await info.context.loaders.reported_messages.load(root.key)
    return [ReportedMessage.from_row(row, info.context) for row in copies]


@strawberry.type(description="A member's report of another member, for moderators.")
class Report(Node):
    key: strawberry.Private[int]
    status: ReportStatus = strawberry.field(description="OPEN until a moderator resolves it.")
    reason: ReportReason = strawberry.field(description="Why the reporter reports.")
    details: str | None = strawberry.field(description="The reporter's own words, if any.")
    created_at: datetime = strawberry.field(description="When the report was filed.")
    resolved_at: datetime | None = strawberry.field(
        description="When a moderator resolved it; null while OPEN."
    )
    reporter: Member = strawberry.field(description="Who filed the report.")
    reported: Member = strawberry.field(description="Whom the report is about.")
    messages: list[ReportedMessage] = strawberry.field(
        resolver=resolve_report_messages,
        description="The messages the reporter attached (copies, oldest first): the only "
        "part of any conversation a moderator sees.",
    )

    @classmethod
    def from_row(cls, row: ReportRow, context: Context) -> Report:
        return cls(
            id=strawberry.ID(global_id(Kind.REPORT, row.id)),
            key=row.id,
            status=row.status,
            reason=row.reason,
            details=row.details,
            created_at=row.created_at,
            resolved_at=row.resolved_at,
            reporter=Member.from_id(context, row.reporter_id),
            reported=Member.from_id(context, row.reported_id),
        )


@strawberry.type(description="One report of a page, with its place in the list.")
class ReportEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this report.")
    node: Report = strawberry.field(description="The report.")


async def resolve_reports_total(root: strawberry.Parent[ReportConnection]) -> int:
    return await root.page.total_count()


@strawberry.type(description="A page of reports, oldest first (the one waiting longest).")
class ReportConnection:
    page: strawberry.Private[moderation.ReportPage]
    edges: list[ReportEdge] = strawberry.field(description="This page's reports, in order.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the list.")
    total_count: int = strawberry.field(
        resolver=resolve_reports_total,
        description="How many reports have the statuses asked for, over all pages.",
    )


async def resolve_entry_report(
    root: strawberry.Parent[ModerationEntry], info: Info
) -> Report | None:
    if root.report_key is None:
        return None
    row = await info.context.loaders.report.load(root.report_key)
    return Report.from_row(row, info.context) if row is not None else None


@strawberry.type(
    description="One moderator action of the moderation log, which nothing changes or removes."
)
class ModerationEntry(Node):
    report_key: strawberry.Private[int | None]
    action: ModerationAction = strawberry.field(description="What the moderator did.")
    reason: str | None = strawberry.field(
        description="Why, in the moderator's words (null where a report was resolved without a "
        "note)."
    )
    at: datetime = strawberry.field(description="When.")
    moderator: Member = strawberry.field(description="The moderator who acted.")
    member: Member = strawberry.field(description="The member acted on.")
    report: Report | None = strawberry.field(
        resolver=resolve_entry_report,
        description="The report the action resolved; null for a suspension or reinstatement "
        "made directly.",
    )

    @classmethod
    def from_row(cls, row: EntryRow, context: Context) -> ModerationEntry:
        return cls(
            id=strawberry.ID(global_id(Kind.MODERATION_ENTRY, row.id)),
            report_key=row.report_id,
            action=row.action,
            reason=row.reason or None,
            at=row.at,
            moderator=Member.from_id(context, row.moderator_id),
            member=Member.from_id(context, row.member_id),
        )


@strawberry.type(description="One entry of the moderation log, with its place in it.")
class ModerationEntryEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue with older entries.")
    node: ModerationEntry = strawberry.field(description="The entry.")


@strawberry.type(description="A page of the moderation log, newest first.")
class ModerationLogConnection:
    edges: list[ModerationEntryEdge] = strawberry.field(description="This page's entries.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the log.")


@strawberry.type(
    description="The program's figures, computed when asked: a value without identity (no id)."
)
class ProgramStats:
    mentors: int = strawberry.field(
        description="Complete mentor profiles of members who are not suspended."
    )
    mentors_accepting: int = strawberry.field(
        description="Those of them taking mentees: the switch on and a place free."
    )
    mentees: int = strawberry.field(
        description="Complete mentee profiles of members who are not suspended."
    )
    requests_open: int = strawberry.field(
        description="Requests waiting for an answer (not past their 14 days)."
    )
    requests_last_30_days: int = strawberry.field(description="Requests made in the last 30 days.")
    acceptance_rate: float | None = strawberry.field(
        description="Of the requests mentors answered, the share accepted (0 to 1); null "
        "before any answer."
    )
    median_response_hours: float | None = strawberry.field(
        description="The median hours from a request to the mentor's answer; null before any."
    )
    relationships_active: int = strawberry.field(description="Relationships ACTIVE now.")
    relationships_completed: int = strawberry.field(description="Relationships COMPLETED.")
    relationships_ended: int = strawberry.field(description="Relationships ENDED early.")
    messages_last_30_days: int = strawberry.field(
        description="Messages sent in the last 30 days (counted, never read)."
    )

    @classmethod
    def of(cls, record: StatsRecord) -> ProgramStats:
        return cls(
            mentors=record.mentors,
            mentors_accepting=record.mentors_accepting,
            mentees=record.mentees,
            requests_open=record.requests_open,
            requests_last_30_days=record.requests_last_30_days,
            acceptance_rate=record.acceptance_rate,
            median_response_hours=record.median_response_hours,
            relationships_active=record.relationships_active,
            relationships_completed=record.relationships_completed,
            relationships_ended=record.relationships_ended,
            messages_last_30_days=record.messages_last_30_days,
        )


@strawberry.input(description="A report of a member, for the moderators.")
class ReportInput:
    member_id: strawberry.ID = strawberry.field(description="The member reported.")
    reason: ReportReason = strawberry.field(description="Why.")
    details: str | None = strawberry.field(
        default=None, description="What happened, in the reporter's words: up to 4,000 characters."
    )
    relationship_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The reporter's relationship with the member whose messages are attached.",
    )
    message_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Up to 50 messages of the reporter's own conversation with the member: "
        "moderators see these, and nothing else of it. One of any other conversation: "
        "NOT_FOUND, and no report is filed.",
    )


async def resolve_report_member(
    info: Info,
    input: Annotated[ReportInput, strawberry.argument(description="The report.")],
) -> Report:
    viewer = await info.context.require_viewer()
    services = info.context.services
    row = await reports.report_member(
        viewer,
        limiter=services.rate_limiter,
        member_keys=services.message_keys,
        member_id=input.member_id,
        reason=input.reason,
        details=input.details,
        relationship_id=input.relationship_id,
        message_ids=input.message_ids,
        now=info.context.now(),
    )
    return Report.from_row(row, info.context)


async def resolve_reports(
    info: Info,
    status: Annotated[
        list[ReportStatus] | None,
        strawberry.argument(description="Only reports in these statuses; null: all."),
    ] = None,
    first: Annotated[
        int | None, strawberry.argument(description="Page size, 1 to 100 (default 20).")
    ] = None,
    after: Annotated[
        str | None, strawberry.argument(description="An `endCursor` of an earlier page.")
    ] = None,
) -> ReportConnection:
    context = info.context
    page = await moderation.reports(context.loaders, await context.viewer(), status, first, after)
    edges = [
        ReportEdge(cursor=cursors.report_cursor(row.id), node=Report.from_row(row, context))
        for row in page.reports
    ]
    return ReportConnection(
        page=page,
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=False,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


async def resolve_moderation_log(
    info: Info,
    first: Annotated[
        int | None, strawberry.argument(description="Page size, 1 to 100 (default 50).")
    ] = None,
    after: Annotated[
        str | None, strawberry.argument(description="An `endCursor` of an earlier page.")
    ] = None,
) -> ModerationLogConnection:
    context = info.context
    page = await moderation.moderation_log(context.loaders, await context.viewer(), first, after)
    edges = [
        ModerationEntryEdge(
            cursor=cursors.log_cursor(row.id), node=ModerationEntry.from_row(row, context)
        )
        for row in page.entries
    ]
    return ModerationLogConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=False,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


async def resolve_program_stats(info: Info) -> ProgramStats:
    context = info.context
    record = await moderation.program_stats(context.loaders, await context.viewer(), context.now())
    return ProgramStats.of(record)


async def resolve_resolve_report(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The report's id.")],
    action: Annotated[ReportAction, strawberry.argument(description="What to do.")],
    note: Annotated[
        str | None,
        strawberry.argument(description="Why, for the moderation log: up to 1,000 characters."),
    ] = None,
) -> Report:
    context = info.context
    row = await moderation.resolve_report(
        context.loaders,
        await context.viewer(),
        id,
        action,
        note,
        hub=context.services.hub,
        now=context.now(),
        outbox=context.outbox,
    )
    return Report.from_row(row, context)


async def resolve_suspend_member(
    info: Info,
    member_id: Annotated[strawberry.ID, strawberry.argument(description="The member.")],
    reason: Annotated[
        str, strawberry.argument(description="Why, for the moderation log: 1 to 1,000 characters.")
    ],
) -> Member:
    context = info.context
    row = await moderation.suspend_member(
        context.loaders,
        await context.viewer(),
        member_id,
        reason,
        hub=context.services.hub,
        now=context.now(),
        outbox=context.outbox,
    )
    return Member.from_row(row)


async def resolve_reinstate_member(
    info: Info,
    member_id: Annotated[strawberry.ID, strawberry.argument(description="The member.")],
    reason: Annotated[
        str, strawberry.argument(description="Why, for the moderation log: 1 to 1,000 characters.")
    ],
) -> Member:
    context = info.context
    row = await moderation.reinstate_member(
        context.loaders, await context.viewer(), member_id, reason, now=context.now()
    )
    return Member.from_row(row)


@strawberry.type
class ModerationQueries:
    reports: ReportConnection = strawberry.field(
        resolver=resolve_reports,
        permission_classes=MODERATORS,
        description="Reports, oldest first, filtered by status (moderators only).",
    )
    moderation_log: ModerationLogConnection = strawberry.field(
        resolver=resolve_moderation_log,
        permission_classes=MODERATORS,
        description="Every moderator action, newest first (moderators only); append-only.",
    )
    program_stats: ProgramStats = strawberry.field(
        resolver=resolve_program_stats,
        permission_classes=MODERATORS,
        description="The program's figures, computed now (moderators only).",
    )


@strawberry.type
class ModerationMutations:
    report_member: Report = strawberry.mutation(
        resolver=resolve_report_member,
        permission_classes=SIGNED_IN,
        description="Report a member to the moderators, optionally with messages of your own "
        "conversation with them; RATE_LIMITED after 10 a day.",
    )
    resolve_report: Report = strawberry.mutation(
        resolver=resolve_resolve_report,
        permission_classes=MODERATORS,
        description="Resolve an OPEN report (moderators only): DISMISS, WARN (an e-mail to the "
        "member) or SUSPEND. CONFLICT when it is resolved already.",
    )
    suspend_member: Member = strawberry.mutation(
        resolver=resolve_suspend_member,
        permission_classes=MODERATORS,
        description="Suspend a member (moderators only): their sessions end at once (sockets "
        "close with 4403), signing in answers SUSPENDED, their profiles leave search and "
        "suggestions, their open requests are withdrawn.",
    )
    reinstate_member: Member = strawberry.mutation(
        resolver=resolve_reinstate_member,
        permission_classes=MODERATORS,
        description="Lift a suspension (moderators only); withdrawn requests stay withdrawn.",
    )
