"""Working together in GraphQL: action steps, meetings, the calendar feed's reset.

A relationship's `actionSteps` and `meetings` are read through the request's
DataLoaders (`schema.relationships`), one query each for any number of
relationships; the types here are built from those rows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import strawberry

from orm.models import ActionStep as ActionStepRow
from orm.models import Meeting as MeetingRow
from orm.records import ActionStepRecord, MeetingRecord
from resolvers import action_steps, calendar_feed, meetings
from resolvers.ids import Kind, global_id
from resolvers.meetings import ProposedMeeting
from schema.core.context import Context, Info
from schema.enums import Channel, MeetingStatus, channel, meeting_status
from schema.identity import Node
from schema.inputs import sent_fields
from schema.members import Known, Member, member
from schema.permissions import SIGNED_IN


def _argument(description: str) -> Any:
    return strawberry.argument(description=description)


def _when(info: Info) -> dict[str, Any]:
    return {"now": info.context.now(), "outbox": info.context.outbox}


@strawberry.type(description="A concrete step the partners agreed on.")
class ActionStep(Node):
    title: str = strawberry.field(description="What is to be done, 1 to 200 characters.")
    notes: str | None = strawberry.field(description="Details, up to 4,000 characters.")
    due_on: date | None = strawberry.field(description="When it is due, if the partners said.")
    done_at: datetime | None = strawberry.field(description="When it was ticked off; null: open.")
    owner: Member = strawberry.field(description="The participant who does it.")
    created_by: Member = strawberry.field(description="The participant who added it.")
    created_at: datetime = strawberry.field(description="When it was added.")
    updated_at: datetime = strawberry.field(description="When it last changed.")

    @classmethod
    def from_row(
        cls,
        row: ActionStepRow | ActionStepRecord,
        context: Context,
        members: Known | None = None,
    ) -> ActionStep:
        return cls(
            id=strawberry.ID(global_id(Kind.ACTION_STEP, row.id)),
            title=row.title,
            notes=row.notes,
            due_on=row.due_on,
            done_at=row.done_at,
            owner=member(context, row.owner_id, members),
            created_by=member(context, row.created_by_id, members),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type(description="A meeting one partner proposed to the other.")
class Meeting(Node):
    starts_at: datetime = strawberry.field(description="When it starts, in UTC.")
    ends_at: datetime = strawberry.field(description="When it ends: startsAt plus the duration.")
    duration_minutes: int = strawberry.field(description="15 to 240.")
    channel: Channel = strawberry.field(description="How the partners meet.")
    location: str | None = strawberry.field(
        description="The place, or an https:// link to the call, if given."
    )
    agenda: str | None = strawberry.field(description="What to talk about, if written down.")
    status: MeetingStatus = strawberry.field(description="Where the meeting stands.")
    proposed_by: Member = strawberry.field(description="The participant who proposed it.")
    cancel_reason: str | None = strawberry.field(
        description="Why it was cancelled, if the participant who cancelled it said."
    )
    created_at: datetime = strawberry.field(description="When it was proposed.")

    @classmethod
    def from_row(
        cls, row: MeetingRow | MeetingRecord, context: Context, members: Known | None = None
    ) -> Meeting:
        return cls(
            id=strawberry.ID(global_id(Kind.MEETING, row.id)),
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            duration_minutes=row.duration_minutes,
            channel=channel(row.channel),
            location=row.location,
            agenda=row.agenda,
            status=meeting_status(row.status),
            proposed_by=member(context, row.proposed_by_id, members),
            cancel_reason=row.cancel_reason,
            created_at=row.created_at,
        )


@strawberry.input(description="A new action step.")
class ActionStepInput:
    relationship_id: strawberry.ID = strawberry.field(
        description="The relationship: ACCEPTED, ACTIVE or COMPLETED."
    )
    title: str = strawberry.field(description="1 to 200 characters.")
    notes: str | None = strawberry.field(default=None, description="Up to 4,000 characters.")
    due_on: date | None = strawberry.field(
        default=None, description="From today to three years ahead."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="A participant's Member id; the viewer when left out."
    )


@strawberry.input(description="Changes to an action step: only the fields sent change.")
class ActionStepUpdateInput:
    id: strawberry.ID = strawberry.field(description="The step to change.")
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="1 to 200 characters; may not be null."
    )
    notes: str | None = strawberry.field(
        default=strawberry.UNSET, description="Up to 4,000 characters; null clears them."
    )
    due_on: date | None = strawberry.field(
        default=strawberry.UNSET,
        description="From today to three years ahead; null clears it.",
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A participant's Member id; may not be null."
    )
    done: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="true ticks the step off (a done step keeps when it was done); "
        "false opens it again.",
    )


@strawberry.input(description="A meeting proposed to the partner.")
class MeetingInput:
    relationship_id: strawberry.ID = strawberry.field(
        description="The relationship: ACCEPTED, ACTIVE or COMPLETED."
    )
    starts_at: datetime = strawberry.field(
        description="In the future, at most three years ahead; UTC when no offset is given."
    )
    duration_minutes: int = strawberry.field(description="15 to 240.")
    channel: Channel = strawberry.field(description="How to meet.")
    location: str | None = strawberry.field(
        default=None,
        description="A place, or a link to the call (https:// only); up to 500 characters.",
    )
    agenda: str | None = strawberry.field(default=None, description="Up to 4,000 characters.")


async def resolve_add_action_step(
    info: Info, input: Annotated[ActionStepInput, _argument("The new step.")]
) -> ActionStep:
    viewer = await info.context.require_viewer()
    row = await action_steps.add_action_step(
        viewer,
        input.relationship_id,
        title=input.title,
        notes=input.notes,
        due_on=input.due_on,
        owner_id=input.owner_id,
        **_when(info),
    )
    return ActionStep.from_row(row, info.context)


async def resolve_update_action_step(
    info: Info, input: Annotated[ActionStepUpdateInput, _argument("The changes.")]
) -> ActionStep:
    viewer = await info.context.require_viewer()
    sent = sent_fields(input)
    sent.pop("id")
    row = await action_steps.update_action_step(viewer, input.id, sent, **_when(info))
    return ActionStep.from_row(row, info.context)


async def resolve_delete_action_step(
    info: Info, id: Annotated[strawberry.ID, _argument("The step to delete.")]
) -> bool:
    viewer = await info.context.require_viewer()
    return await action_steps.delete_action_step(viewer, id, **_when(info))


async def resolve_propose_meeting(
    info: Info, input: Annotated[MeetingInput, _argument("The meeting.")]
) -> Meeting:
    viewer = await info.context.require_viewer()
    proposed = ProposedMeeting(
        starts_at=input.starts_at,
        duration_minutes=input.duration_minutes,
        channel=input.channel,
        location=input.location,
        agenda=input.agenda,
    )
    row = await meetings.propose_meeting(viewer, input.relationship_id, proposed, **_when(info))
    return Meeting.from_row(row, info.context)


async def resolve_respond_to_meeting(
    info: Info,
    id: Annotated[strawberry.ID, _argument("A meeting the partner proposed.")],
    accept: Annotated[bool, _argument("true confirms it, false declines it.")],
) -> Meeting:
    viewer = await info.context.require_viewer()
    row = await meetings.respond_to_meeting(viewer, id, accept, **_when(info))
    return Meeting.from_row(row, info.context)


async def resolve_cancel_meeting(
    info: Info,
    id: Annotated[strawberry.ID, _argument("A proposed or confirmed meeting, not yet over.")],
    reason: Annotated[
        str | None, _argument("Why, up to 1,000 characters; the partner reads it.")
    ] = None,
) -> Meeting:
    viewer = await info.context.require_viewer()
    row = await meetings.cancel_meeting(viewer, id, reason, **_when(info))
    return Meeting.from_row(row, info.context)


async def resolve_reset_calendar_feed(info: Info) -> str:
    viewer = await info.context.require_viewer()
    services = info.context.services
    return await calendar_feed.reset_calendar_feed(
        viewer, services.calendar_feeds, services.rate_limiter, now=info.context.now()
    )


@strawberry.type
class WorkingTogetherMutations:
    add_action_step: ActionStep = strawberry.mutation(
        resolver=resolve_add_action_step,
        permission_classes=SIGNED_IN,
        description="Either participant adds an action step (relationship ACCEPTED, ACTIVE "
        "or COMPLETED); the partner hears of it (ACTION_STEP_CHANGED).",
    )
    update_action_step: ActionStep = strawberry.mutation(
        resolver=resolve_update_action_step,
        permission_classes=SIGNED_IN,
        description="Either participant changes, ticks off or reopens a step: only the "
        "fields sent change, so concurrent edits of different fields both stay.",
    )
    delete_action_step: bool = strawberry.mutation(
        resolver=resolve_delete_action_step,
        permission_classes=SIGNED_IN,
        description="Either participant deletes a step; true once it is gone.",
    )
    propose_meeting: Meeting = strawberry.mutation(
        resolver=resolve_propose_meeting,
        permission_classes=SIGNED_IN,
        description="Propose a meeting to the partner: in the future, 15 to 240 minutes, "
        "not over a confirmed meeting of either participant (CONFLICT).",
    )
    respond_to_meeting: Meeting = strawberry.mutation(
        resolver=resolve_respond_to_meeting,
        permission_classes=SIGNED_IN,
        description="The other side confirms or declines a proposed meeting.",
    )
    cancel_meeting: Meeting = strawberry.mutation(
        resolver=resolve_cancel_meeting,
        permission_classes=SIGNED_IN,
        description="Either side cancels a proposed or confirmed meeting before it ends.",
    )
    reset_calendar_feed: str = strawberry.mutation(
        resolver=resolve_reset_calendar_feed,
        permission_classes=SIGNED_IN,
        description="A new secret calendar feed URL; the old one answers 404 at once.",
    )
