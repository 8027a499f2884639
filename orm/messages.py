"""Messages of a relationship's conversation: the one place that writes them.

Bodies are sealed here (`orm.encryption`) and opened by `body_of`; nothing
else sees the plain text. Each message takes the conversation's next `seq`
inside the sending transaction, by bumping `relationship.last_seq` (a row
lock on PostgreSQL; SQLite runs one write transaction at a time), so that
"seq > cursor" reads never skip a message that commits late.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from orm.encryption import Keyring, Sealed
from orm.models import Message, Relationship
from orm.sql import Params, connection, dialect_of, fetch, fetch_models, integers

FIRST_SEQ = 1


def _associated_data(relationship_id: int, sender_id: int) -> bytes:
    # Binds a sealed body to its conversation and sender: a row copied into
    # another conversation, or re-attributed, no longer opens.
    return f"message:{relationship_id}:{sender_id}".encode()


def body_of(message: Message, keyring: Keyring) -> str:
    sealed = Sealed(key_id=message.key_id, data=bytes(message.body_sealed))
    return keyring.open(sealed, _associated_data(message.relationship_id, message.sender_id))


async def by_client_id(sender_id: int, client_message_id: str) -> Message | None:
    return await Message.filter(sender_id=sender_id, client_message_id=client_message_id).first()


async def _insert(
    keyring: Keyring,
    relationship_id: int,
    sender_id: int,
    body: str,
    at: datetime,
    client_message_id: str | None,
) -> Message:
    await Relationship.filter(id=relationship_id).update(last_seq=F("last_seq") + 1)
    seq = await last_seq(relationship_id)
    sealed = keyring.seal(body, _associated_data(relationship_id, sender_id))
    return await Message.create(
        relationship_id=relationship_id,
        sender_id=sender_id,
        seq=seq,
        body_sealed=sealed.data,
        key_id=sealed.key_id,
        client_message_id=client_message_id,
        created_at=at,
    )


async def add_message(
    keyring: Keyring,
    *,
    relationship_id: int,
    sender_id: int,
    body: str,
    at: datetime,
    client_message_id: str | None = None,
) -> Message:
    """Seal and store a message with the conversation's next seq.

    Call inside the caller's transaction when there is one (the request
    message); a savepoint keeps the counter and the row together.
    """
    async with in_transaction():
        return await _insert(keyring, relationship_id, sender_id, body, at, client_message_id)


async def after(relationship_id: int, seq: int, limit: int) -> list[Message]:
    """Up to `limit` messages with seq > `seq`, oldest first."""
    query = Message.filter(relationship_id=relationship_id, seq__gt=seq)
    return await query.order_by("seq").limit(limit)


async def before(relationship_id: int, seq: int | None, limit: int) -> list[Message]:
    """Up to `limit` messages with seq < `seq` (all when None), newest first."""
    query = Message.filter(relationship_id=relationship_id)
    if seq is not None:
        query = query.filter(seq__lt=seq)
    return await query.order_by("-seq").limit(limit)


async def last_seq(relationship_id: int) -> int:
    found: list[int] = await Relationship.filter(id=relationship_id).values_list(  # type: ignore[assignment]
        "last_seq", flat=True
    )
    return found[0] if found else 0


async def first_messages(relationship_ids: Sequence[int]) -> list[Message | None]:
    """Each relationship's first message (the request's), in the ids' order."""
    found = await Message.filter(relationship_id__in=list(relationship_ids), seq=FIRST_SEQ)
    rows = {row.relationship_id: row for row in found}
    return [rows.get(key) for key in relationship_ids]


# (relationship id, its last seq): the message with that seq, if any.
LastKey = tuple[int, int]


async def last_messages(keys: Sequence[LastKey]) -> list[Message | None]:
    # A join on a VALUES list: one index seek per key, and a statement of
    # constant shape (an OR of N conditions cost Tortoise a millisecond to build).
    wanted = [key for key in keys if key[1] > 0]
    found: list[Message] = []
    if wanted:
        params = Params(dialect_of(connection()))
        found = await fetch_models(
            Message,
            f"WITH wanted (rid, seq) AS (VALUES {integers(params, wanted)}) "  # noqa: S608 - bound
            "SELECT m.* FROM wanted JOIN message m "
            "ON m.relationship_id = wanted.rid AND m.seq = wanted.seq",
            params,
        )
    rows = {(row.relationship_id, row.seq): row for row in found}
    return [rows.get(key) for key in keys]


# (relationship id, viewer's user id, viewer's read marker): their unread count.
UnreadKey = tuple[int, int, int]


async def unread_counts(keys: Sequence[UnreadKey]) -> list[int]:
    """Messages from the partner after the viewer's marker, per key, in one query."""
    if not keys:
        return []
    db = connection()
    params = Params(dialect_of(db))
    counted = await fetch(
        db,
        f"WITH wanted (rid, uid, seq) AS (VALUES {integers(params, keys)}) "  # noqa: S608 - bound
        "SELECT m.relationship_id AS rid, COUNT(*) AS unread FROM wanted JOIN message m "
        "ON m.relationship_id = wanted.rid AND m.seq > wanted.seq "
        "AND m.sender_id <> wanted.uid GROUP BY m.relationship_id",
        params,
    )
    counts = {int(row["rid"]): int(row["unread"]) for row in counted}
    return [counts.get(rid, 0) for rid, _, _ in keys]


async def mark_read(relationship_id: int, *, as_mentor: bool, up_to: int) -> None:
    """Move the side's read marker forward to `up_to` (never backwards)."""
    column = "mentor_read_seq" if as_mentor else "mentee_read_seq"
    await Relationship.filter(**{"id": relationship_id, f"{column}__lt": up_to}).update(
        **{column: up_to}
    )
