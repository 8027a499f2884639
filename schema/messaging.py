"""Messaging's root fields: sendMessage, markMessagesRead, and the subscriptions.

Over WebSocket the Context lives as long as the connection, so each event
of a subscription gets fresh DataLoaders: nothing read for one event is
served stale to the next. A socket without a valid token that subscribes
to a stream needing a user is closed with 4403 (the contract); so are its
streams when their token is revoked (logout).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated

import strawberry
from starlette.websockets import WebSocket

from resolvers import messaging, streams
from resolvers.hub import SlowConsumer
from resolvers.ids import Kind, global_id
from resolvers.loaders import Loaders
from resolvers.tokens import Authenticated
from schema.core.context import Info
from schema.core.sockets import TRY_AGAIN_LATER, close_socket
from schema.enums import EventKind
from schema.identity import Node
from schema.messages import Message
from schema.permissions import SIGNED_IN
from schema.relationships import Relationship

FORBIDDEN = 4403

# The conversation an operation reads or writes: only its two participants may.
CONVERSATION = strawberry.argument(
    description="The relationship whose conversation it is (NOT_FOUND for anyone but its "
    "two participants)."
)


@strawberry.input(description="A message to send.")
class SendMessageInput:
    relationship_id: strawberry.ID = strawberry.field(
        description="The relationship whose conversation it joins."
    )
    body: str = strawberry.field(description="1 to 4,000 characters.")
    client_message_id: str | None = strawberry.field(
        default=None,
        description="Up to 100 characters chosen by the client: resending with the same id "
        "returns the first message instead of adding a copy.",
    )


async def resolve_send_message(
    info: Info, input: Annotated[SendMessageInput, strawberry.argument(description="The message.")]
) -> Message:
    viewer = await info.context.require_viewer()
    services = info.context.services
    sent = await messaging.send_message(
        viewer,
        input.relationship_id,
        input.body,
        input.client_message_id,
        keys=services.message_keys,
        hub=services.hub,
        limiter=services.rate_limiter,
        now=info.context.now(),
    )
    return Message.of(sent, info.context)


async def resolve_mark_messages_read(
    info: Info,
    relationship_id: Annotated[strawberry.ID, CONVERSATION],
    up_to: Annotated[
        str,
        strawberry.argument(
            description="A message's cursor: everything up to it counts as read by the viewer."
        ),
    ],
) -> Relationship:
    viewer = await info.context.require_viewer()
    seen = await messaging.mark_messages_read(
        viewer, relationship_id, up_to, now=info.context.now(), outbox=info.context.outbox
    )
    return Relationship.of(seen, info.context)


async def _close(info: Info, code: int, reason: str) -> None:
    """Close the socket; the calling operation then returns, and the handler ends the rest."""
    socket = info.context.request
    assert isinstance(socket, WebSocket), "subscriptions run over WebSocket only"
    await close_socket(socket, code, reason)


async def _signed_in(info: Info) -> Authenticated | None:
    """The connection's user; None after closing a connection without one (4403)."""
    signed_in = await info.context.authenticated()
    if signed_in is None:
        await _close(info, FORBIDDEN, "Forbidden")
    return signed_in


def _revoked_reason(revoked: streams.Revoked) -> str:
    # A revocation may say why (an expired token); a logout says nothing.
    return str(revoked) or "Token revoked"


async def subscribe_message_added(
    info: Info,
    relationship_id: Annotated[strawberry.ID, CONVERSATION],
    after: Annotated[
        str | None,
        strawberry.argument(
            description="A message's cursor: every later message first, then live ones; "
            "resume with the last cursor received after a reconnect."
        ),
    ] = None,
) -> AsyncGenerator[Message, None]:
    signed_in = await _signed_in(info)
    if signed_in is None:
        return
    stream = streams.message_added(
        signed_in, relationship_id, after, hub=info.context.services.hub, clock=info.context.now
    )
    try:
        async for row in stream:
            info.context.loaders = Loaders()
            yield Message.of(row, info.context)
    except streams.Revoked as revoked:
        await _close(info, FORBIDDEN, _revoked_reason(revoked))
    except SlowConsumer:
        await _close(info, TRY_AGAIN_LATER, "Too slow: resume with `after`")


@strawberry.type(
    description="Something that happened to one of the viewer's relationships. Events are "
    "not stored: `node` answers null for their ids."
)
class ViewerEvent(Node):
    id: strawberry.ID = strawberry.field(
        description="Unique per event: a client that receives one twice can tell."
    )
    kind: EventKind = strawberry.field(description="What happened.")
    relationship: Relationship = strawberry.field(
        description="The relationship it happened to, as it stands now."
    )
    at: datetime = strawberry.field(description="When it happened.")


async def subscribe_viewer_events(info: Info) -> AsyncGenerator[ViewerEvent, None]:
    signed_in = await _signed_in(info)
    if signed_in is None:
        return
    try:
        events = streams.viewer_events(
            signed_in, hub=info.context.services.hub, clock=info.context.now
        )
        async for event in events:
            info.context.loaders = Loaders()
            relationship_id = global_id(Kind.RELATIONSHIP, event.relationship_id)
            seen = await messaging.conversation_of(signed_in.user, relationship_id)
            yield ViewerEvent(
                id=strawberry.ID(global_id(Kind.VIEWER_EVENT, event.id)),
                kind=event.kind,
                relationship=Relationship.of(seen, info.context),
                at=event.at,
            )
    except streams.Revoked as revoked:
        await _close(info, FORBIDDEN, _revoked_reason(revoked))
    except SlowConsumer:
        await _close(info, TRY_AGAIN_LATER, "Too slow: resume from a fresh read")


@strawberry.type
class MessagingMutations:
    send_message: Message = strawberry.mutation(
        resolver=resolve_send_message,
        permission_classes=SIGNED_IN,
        description="Send a message (open while ACCEPTED, ACTIVE or COMPLETED).",
    )
    mark_messages_read: Relationship = strawberry.mutation(
        resolver=resolve_mark_messages_read,
        permission_classes=SIGNED_IN,
        description="Move the viewer's read marker forward to the message `upTo` (a cursor).",
    )


@strawberry.type
class MessagingSubscriptions:
    message_added: Message = strawberry.subscription(  # type: ignore[assignment]
        resolver=subscribe_message_added,
        description="With `after` (a cursor): every later message, then new ones live, "
        "in order, with no gap and no duplicate. Without: new messages from now on.",
    )
    viewer_events: ViewerEvent = strawberry.subscription(  # type: ignore[assignment]
        resolver=subscribe_viewer_events,
        description="What happens to the viewer's relationships, as it happens.",
    )
