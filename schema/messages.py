"""The Message type and the conversation connection on Relationship."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from orm.messages import StoredMessage
from resolvers import messaging
from resolvers.cursors import message_cursor
from resolvers.ids import Kind, global_id
from schema.core.context import Context, Info
from schema.identity import Node
from schema.members import Known, Member, member
from schema.paging import PageInfo

if TYPE_CHECKING:
    from schema.relationships import Relationship

RelationshipRef = Annotated["Relationship", strawberry.lazy("schema.relationships")]


async def resolve_relationship(root: strawberry.Parent[Message], info: Info) -> RelationshipRef:
    from schema.relationships import relationship_seen

    return await relationship_seen(info.context, root.relationship_key)


@strawberry.type(description="A message of a relationship's conversation.")
class Message(Node):
    body: str = strawberry.field(description="1 to 4,000 characters.")
    sent_at: datetime = strawberry.field(description="When the server stored it.")
    cursor: str = strawberry.field(
        description="Orders messages: pass it as `after` to messageAdded or the connection."
    )
    client_message_id: str | None = strawberry.field(
        description="The sender's idempotency key, when the send had one."
    )
    sender: Member = strawberry.field(description="The participant who wrote it.")
    relationship_key: strawberry.Private[int]
    # A resolver, not an attribute: a conversation page never asks for it.
    relationship: RelationshipRef = strawberry.field(
        resolver=resolve_relationship,
        description="The conversation's relationship (its last message and unread count "
        "change with each message).",
    )

    @classmethod
    def of(cls, row: StoredMessage, context: Context, members: Known | None = None) -> Message:
        """The message; its sender from `members` when known there, else loaded if asked."""
        return cls(
            id=strawberry.ID(global_id(Kind.MESSAGE, row.id)),
            body=messaging.body_text(row, context.services.message_keys),
            sent_at=row.created_at,
            cursor=message_cursor(row.seq),
            client_message_id=row.client_message_id,
            sender=member(context, row.sender_id, members),
            relationship_key=row.relationship_id,
        )


@strawberry.type(description="One message of a conversation page, with its place in it.")
class MessageEdge:
    cursor: str = strawberry.field(description="The message's cursor.")
    node: Message = strawberry.field(description="The message.")


@strawberry.type(description="A page of a conversation, oldest message first.")
class MessageConnection:
    page_info: PageInfo = strawberry.field(description="Where this page sits in the conversation.")
    edges: list[MessageEdge] = strawberry.field(description="This page's messages, oldest first.")


async def resolve_messages(
    root: strawberry.Parent[Any],
    info: Info,
    last: Annotated[
        int | None,
        strawberry.argument(description="Page size paging backwards, 0 to 100 (default 50)."),
    ] = None,
    before: Annotated[
        str | None,
        strawberry.argument(description="A cursor: the page ends just before that message."),
    ] = None,
    first: Annotated[
        int | None,
        strawberry.argument(
            description="Page size paging forwards, 0 to 100 (default 50); not with `last`."
        ),
    ] = None,
    after: Annotated[
        str | None,
        strawberry.argument(description="A cursor: the page starts just after that message."),
    ] = None,
) -> MessageConnection:
    page = await messaging.page(root.key, first=first, after=after, last=last, before=before)
    nodes = [Message.of(row, info.context, root.members) for row in page.messages]
    return MessageConnection(
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=nodes[0].cursor if nodes else None,
            end_cursor=nodes[-1].cursor if nodes else None,
        ),
        edges=[MessageEdge(cursor=node.cursor, node=node) for node in nodes],
    )


async def unread_count(context: Context, relationship_id: int, read_marker: int) -> int:
    viewer = await context.require_viewer()
    return await context.loaders.unread_count.load((relationship_id, viewer.id, read_marker))


async def last_message(
    context: Context, relationship_id: int, last_seq: int, members: Known | None
) -> Message | None:
    row = await context.loaders.last_message.load((relationship_id, last_seq))
    return Message.of(row, context, members) if row else None
