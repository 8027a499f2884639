"""Global object identification's root fields: `node(id)` and `nodes(ids)`.

Ids are grouped by kind, and each kind read as one batch through the
request's DataLoaders (`resolvers.nodes`, which also decides what the viewer
may see): `nodes` with a hundred ids costs the statements of one id per kind.
An id that names nothing the viewer may see, or nothing at all, answers
null, never an error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, TypeAlias

import strawberry

from orm.models import User as UserRow
from resolvers import moderation, nodes
from resolvers.ids import Kind
from schema.core.context import Context, Info
from schema.identity import Node
from schema.members import Member
from schema.messages import Message
from schema.moderation import ModerationEntry, Report, ReportedMessage
from schema.profiles import Mentee, Mentor
from schema.relationships import Agreement, Feedback, Relationship
from schema.working_together import ActionStep, Meeting

Found: TypeAlias = dict[int, Node]
Reader: TypeAlias = Callable[[Context, UserRow | None, Sequence[int]], Awaitable[Found]]


async def _members(context: Context, viewer: UserRow | None, keys: Sequence[int]) -> Found:
    found = await nodes.members(context.loaders, viewer, keys)
    return {key: Member.from_row(row) for key, row in found.items()}


async def _mentors(context: Context, viewer: UserRow | None, keys: Sequence[int]) -> Found:
    found = await nodes.mentors(context.loaders, viewer, keys)
    return {key: Mentor.from_row(row, user) for key, (row, user) in found.items()}


async def _mentees(context: Context, viewer: UserRow | None, keys: Sequence[int]) -> Found:
    found = await nodes.mentees(context.loaders, viewer, keys)
    return {key: Mentee.from_row(row, user) for key, (row, user) in found.items()}


async def _relationships(context: Context, viewer: UserRow | None, keys: Sequence[int]) -> Found:
    found = await nodes.seen_relationships(
        context.loaders, viewer, keys, now=context.now(), outbox=context.outbox
    )
    return {key: Relationship.seen(item, role, context) for key, (item, role) in found.items()}


async def _agreements(context: Context, viewer: UserRow | None, keys: Sequence[int]) -> Found:
    found = await nodes.agreements(context.loaders, viewer, keys)
    return {key: Agreement.from_row(row, context) for key, row in found.items()}


async def _feedback(context: Context, viewer: UserRow | None, keys: Sequence[int]) -> Found:
    found = await nodes.feedback(context.loaders, viewer, keys)
    return {key: Feedback.from_row(row, context) for key, row in found.items()}


async def _messages(context: Context, viewer: UserRow | None, keys: Sequence[int]) -> Found:
    found = await nodes.messages(context.loaders, viewer, keys)
    return {key: Message.of(row, context) for key, row in found.items()}


async def _action_steps(context: Context, viewer: UserRow | None, keys: Sequence[int]) -> Found:
    found = await nodes.action_steps(context.loaders, viewer, keys)
    return {key: ActionStep.from_row(row, context) for key, row in found.items()}


async def _meetings(context: Context, viewer: UserRow | None, keys: Sequence[int]) -> Found:
    found = await nodes.meetings(context.loaders, viewer, keys)
    return {key: Meeting.from_row(row, context) for key, row in found.items()}


async def _reports(context: Context, viewer: UserRow | None, keys: Sequence[int]) -> Found:
    found = await moderation.reports_seen(context.loaders, viewer, keys)
    return {key: Report.from_row(row, context) for key, row in found.items()}


async def _reported_messages(
    context: Context, viewer: UserRow | None, keys: Sequence[int]
) -> Found:
    found = await moderation.copies_seen(context.loaders, viewer, keys)
    return {key: ReportedMessage.from_row(row, context) for key, row in found.items()}


async def _moderation_entries(
    context: Context, viewer: UserRow | None, keys: Sequence[int]
) -> Found:
    found = await moderation.entries_seen(context.loaders, viewer, keys)
    return {key: ModerationEntry.from_row(row, context) for key, row in found.items()}


READERS: dict[Kind, Reader] = {
    Kind.MEMBER: _members,
    Kind.MENTOR: _mentors,
    Kind.MENTEE: _mentees,
    Kind.RELATIONSHIP: _relationships,
    Kind.AGREEMENT: _agreements,
    Kind.FEEDBACK: _feedback,
    Kind.MESSAGE: _messages,
    Kind.ACTION_STEP: _action_steps,
    Kind.MEETING: _meetings,
    Kind.REPORT: _reports,
    Kind.REPORTED_MESSAGE: _reported_messages,
    Kind.MODERATION_ENTRY: _moderation_entries,
}


async def _read(context: Context, ids: Sequence[str]) -> list[Node | None]:
    viewer = await context.viewer()
    wanted = [nodes.located(value) for value in ids]
    keys: dict[Kind, dict[int, None]] = {}  # each kind's keys, once each, in order
    for place in wanted:
        if place is not None:
            keys.setdefault(place[0], {})[place[1]] = None
    found = {
        kind: await READERS[kind](context, viewer, list(batch)) for kind, batch in keys.items()
    }
    return [None if place is None else found[place[0]].get(place[1]) for place in wanted]


async def resolve_node(
    info: Info,
    id: Annotated[
        strawberry.ID, strawberry.argument(description="A global id, as read from `id`.")
    ],
) -> Node | None:
    return (await _read(info.context, [id]))[0]


async def resolve_nodes(
    info: Info,
    ids: Annotated[
        list[strawberry.ID], strawberry.argument(description="Global ids, at most 100.")
    ],
) -> list[Node | None]:
    nodes.check_count(ids)
    return await _read(info.context, ids)


@strawberry.type
class NodeQueries:
    node: Node | None = strawberry.field(
        resolver=resolve_node,
        description="The object with this global id, or null where nothing with that id is "
        "visible to the viewer (never an error).",
    )
    nodes: list[Node | None] = strawberry.field(
        resolver=resolve_nodes,
        description="One entry per id (at most 100), in order: each the object, or null "
        "where nothing with that id is visible to the viewer.",
    )
