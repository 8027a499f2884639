"""The conversation of a relationship: sending, paging, reading markers.

Only the two participants see or touch a conversation (NOT_FOUND for anyone
else). Sending is open while the relationship is ACCEPTED, ACTIVE or
COMPLETED. A message is committed before anyone is told: then the
conversation's listeners are woken and the partner gets MESSAGE_RECEIVED.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError

from orm import messages as message_rows
from orm import relationships as rows
from orm.member_keys import MessageKeys
from orm.messages import StoredMessage
from orm.models import Message, User
from orm.records import MessageRecord
from orm.vocabulary import EventKind, RelationshipStatus
from resolvers import events, ratelimit, relationships, validation
from resolvers.catalogue import _
from resolvers.cursors import optional_cursor, parse_cursor
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.hub import Hub
from resolvers.ids import parse_id
from resolvers.lifecycle import Outbox, Participation, partner_of, role_of
from resolvers.ratelimit import POLICIES, RateLimiter

MAX_BODY = 4000
MAX_CLIENT_MESSAGE_ID = 100
DEFAULT_PAGE = 50
MAX_PAGE = 100
SENDABLE = (RelationshipStatus.ACCEPTED, RelationshipStatus.ACTIVE, RelationshipStatus.COMPLETED)


def _client_id(value: str | None) -> str | None:
    if value is None:
        return None
    if not 1 <= len(value) <= MAX_CLIENT_MESSAGE_ID:
        raise BadUserInput(
            "clientMessageId",
            _(
                "must have 1 to {max_client_message_id} characters.",
                max_client_message_id=MAX_CLIENT_MESSAGE_ID,
            ),
        )
    return value


async def _earlier(message_id: int, relationship_id: int, key: int) -> Message:
    if relationship_id != key:
        raise Conflict(
            _("This clientMessageId was used in another conversation."), field="clientMessageId"
        )
    return await message_rows.by_id(message_id)


def _closed(status: str) -> Conflict:
    return Conflict(_("The relationship is {status}: you cannot send messages.", status=status))


async def send_message(
    viewer: User,
    relationship_id: str,
    body: str,
    client_message_id: str | None,
    *,
    keys: MessageKeys,
    hub: Hub,
    limiter: RateLimiter,
    now: datetime,
) -> Message:
    """The stored message: a new one, or the first one sent with this client id."""
    text = validation.required_text("body", body, max_length=MAX_BODY, multiline=True)
    client_id = _client_id(client_message_id)
    key = parse_id(relationship_id, what="relationship")
    # No settling first: expiry and completion never change whether sending
    # is open (REQUESTED is closed either way; ACTIVE and COMPLETED are open).
    sending = await message_rows.sending_to(key, viewer.id, client_id)
    if sending is None:
        raise NotFound("relationship")
    partner = partner_of(viewer.id, sending.mentor_user_id, sending.mentee_user_id)
    if sending.blocked:
        # Blocked members cannot reach each other; the conversation is closed to both.
        raise NotFound("relationship")
    if sending.earlier_id is not None and sending.earlier_relationship_id is not None:
        return await _earlier(sending.earlier_id, sending.earlier_relationship_id, key)
    if RelationshipStatus(sending.status) not in SENDABLE:
        raise _closed(sending.status)
    await ratelimit.hit_for_user(limiter, POLICIES.messages_per_user, viewer.id)
    try:
        message = await message_rows.add_message_while(
            [status.value for status in SENDABLE],
            keys,
            relationship_id=key,
            sender_id=viewer.id,
            body=text,
            at=now,
            client_message_id=client_id,
        )
    except IntegrityError:
        # An identical send won the race past the read above.
        earlier = await message_rows.by_client_id(viewer.id, client_id) if client_id else None
        if earlier is None:
            raise
        return await _earlier(earlier.id, earlier.relationship_id, key)
    if message is None:
        raise Conflict(_("The relationship closed meanwhile: you cannot send messages."))
    await hub.wake_conversation(key, message.seq)
    await events.publish(hub, EventKind.MESSAGE_RECEIVED, key, now, [partner])
    return message


@dataclass(frozen=True)
class Page:
    messages: list[MessageRecord]  # oldest first
    has_previous: bool
    has_next: bool


def _size(field: str, value: int | None) -> int | None:
    if value is not None and not 0 <= value <= MAX_PAGE:
        raise BadUserInput(field, _("must be between 0 and {max_page}.", max_page=MAX_PAGE))
    return value


async def page(
    relationship_id: int,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Page:
    """A page of the conversation: forwards with first/after, else backwards with last/before."""
    after_seq, before_seq = optional_cursor("after", after), optional_cursor("before", before)
    first, last = _size("first", first), _size("last", last)
    if first is not None and last is not None:
        raise BadUserInput("last", _("cannot be combined with `first`."))
    if first is not None or (after_seq is not None and last is None):
        size = DEFAULT_PAGE if first is None else first
        found = await message_rows.after(relationship_id, after_seq or 0, size + 1)
        return Page(found[:size], has_previous=bool(after_seq), has_next=len(found) > size)
    size = DEFAULT_PAGE if last is None else last
    found = await message_rows.before(relationship_id, before_seq, size + 1)
    kept = found[:size]
    kept.reverse()
    return Page(kept, has_previous=len(found) > size, has_next=before_seq is not None)


async def mark_messages_read(
    viewer: User, relationship_id: str, up_to: str, *, now: datetime, outbox: Outbox
) -> Participation:
    seq = parse_cursor("upTo", up_to)
    seen = await relationships.participation(viewer, relationship_id, now=now, outbox=outbox)
    row = seen.relationship
    await message_rows.mark_read(row.id, side=seen.role, up_to=min(seq, row.last_seq))
    # Read again: the marker may have moved further meanwhile, never back.
    fresh = await rows.one(row.id)
    if fresh is None:
        raise NotFound("relationship")
    return Participation(fresh, seen.role)


async def conversation_of(viewer: User, relationship_id: str) -> Participation:
    """The relationship when `viewer` takes part in it; NOT_FOUND otherwise."""
    key = parse_id(relationship_id, what="relationship")
    row = await rows.one(key)
    if row is None:
        raise NotFound("relationship")
    return Participation(row, role_of(viewer.id, row))


def body_text(message: StoredMessage, keys: MessageKeys) -> str:
    """A message's text, opened: for the participants, whom every read path checks first."""
    return message_rows.body_of(message, keys)
