"""The Message type and the conversation connection on Relationship."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from orm import messages as message_rows
from orm.models import Message as MessageRow
from resolvers import messaging
from resolvers.cursors import message_cursor
from schema.context import Info
from schema.members import Member
from schema.paging import PageInfo


def resolve_sender(root: strawberry.Parent[Message]) -> Member:
    return Member.from_id(root.row.sender_id)


@strawberry.type(description="A message of a relationship's conversation.")
class Message:
    row: strawberry.Private[MessageRow]
    id: strawberry.ID
    body: str = strawberry.field(description="1 to 4,000 characters.")
    sent_at: datetime
    cursor: str = strawberry.field(
        description="Orders messages: pass it as `after` to messageAdded or the connection."
    )
    client_message_id: str | None = strawberry.field(
        description="The sender's idempotency key, when the send had one."
    )
    sender: Member = strawberry.field(resolver=resolve_sender)

    @classmethod
    def of(cls, row: MessageRow, info: Info) -> Message:
        return cls(
            row=row,
            id=strawberry.ID(str(row.id)),
            body=message_rows.body_of(row, info.context.services.keyring),
            sent_at=row.created_at,
            cursor=message_cursor(row.seq),
            client_message_id=row.client_message_id,
        )


@strawberry.type
class MessageEdge:
    cursor: str
    node: Message


@strawberry.type(description="A page of a conversation, oldest message first.")
class MessageConnection:
    page_info: PageInfo
    edges: list[MessageEdge]


async def resolve_messages(
    root: strawberry.Parent[Any],
    info: Info,
    last: int | None = None,
    before: str | None = None,
    first: int | None = None,
    after: str | None = None,
) -> MessageConnection:
    page = await messaging.page(root.row.id, first=first, after=after, last=last, before=before)
    nodes = [Message.of(row, info) for row in page.messages]
    return MessageConnection(
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=nodes[0].cursor if nodes else None,
            end_cursor=nodes[-1].cursor if nodes else None,
        ),
        edges=[MessageEdge(cursor=node.cursor, node=node) for node in nodes],
    )


async def resolve_unread_count(root: strawberry.Parent[Any], info: Info) -> int:
    viewer = await info.context.require_viewer()
    key = (root.row.id, viewer.id, root.read_marker)
    return await info.context.loaders.unread_count.load(key)


async def resolve_last_message(root: strawberry.Parent[Any], info: Info) -> Message | None:
    row = await info.context.loaders.last_message.load((root.row.id, root.row.last_seq))
    return Message.of(row, info) if row else None
