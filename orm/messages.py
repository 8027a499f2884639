"""Messages of a relationship's conversation: the one place that writes them.

Bodies are sealed here, each with its sender's own data key
(`orm.member_keys`), and opened by `body_of`; nothing else sees the plain
text. Each message takes the conversation's next `seq` as it is written, so
that "seq > cursor" reads never skip a message that commits late: on
PostgreSQL in a transaction whose `UPDATE ... RETURNING` locks the
relationship's row, checks it is still open and bumps
`relationship.last_seq`; on SQLite, which writes one statement at a time, in
a single `INSERT ... SELECT last_seq + 1 ... RETURNING` (a trigger moves
`last_seq`, see migration 0006).

Sending is the hot path of live chat, and every statement waits its turn on
the connection, so a send takes few: one read of the conversation
(`sending_to`), then the write above.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from orm.encryption import Sealed
from orm.member_keys import MessageKeys
from orm.models import Message, Relationship
from orm.records import MessageRecord, columns, model_reader, reader
from orm.rules.sides import READ_MARKER_COLUMNS
from orm.sql import SQLITE, Params, connection, dialect_of, fetch_bounded, fetch_models, integers
from orm.vocabulary import ViewerRole

# A message as written (the ORM's instance) or as read by a page (a light record).
StoredMessage = Message | MessageRecord

FIRST_SEQ = 1


def _associated_data(relationship_id: int, sender_id: int) -> bytes:
    # Binds a sealed body to its conversation and sender: a row copied into
    # another conversation, or re-attributed, no longer opens.
    return f"message:{relationship_id}:{sender_id}".encode()


def body_of(message: StoredMessage, keys: MessageKeys) -> str:
    sealed = Sealed(key_id=message.key_id, data=bytes(message.body_sealed))
    context = _associated_data(message.relationship_id, message.sender_id)
    return keys.open(message.sender_id, sealed, context)


async def by_client_id(sender_id: int, client_message_id: str) -> Message | None:
    return await Message.filter(sender_id=sender_id, client_message_id=client_message_id).first()


@dataclass(frozen=True)
class Sending:
    """What a send needs to know of its conversation, and of an earlier identical send."""

    status: str
    mentor_user_id: int
    mentee_user_id: int
    # The sender's message with the same client id, and its conversation.
    earlier_id: int | None
    earlier_relationship_id: int | None
    # Whether either participant blocked the other (`orm.member_blocks`).
    blocked: bool


async def sending_to(
    relationship_id: int, sender_id: int, client_message_id: str | None
) -> Sending | None:
    """The relationship's state and participants, and any earlier send with this client id."""
    db = connection()
    params = Params(dialect_of(db))
    # Without a client id the join matches nothing (`= NULL` is never true).
    sql = (
        "SELECT r.status, mentor.user_id AS mentor_user_id, mentee.user_id AS mentee_user_id,"  # noqa: S608 - placeholders only
        " earlier.id AS earlier_id, earlier.relationship_id AS earlier_relationship_id,"
        " EXISTS (SELECT 1 FROM member_block b WHERE (b.blocker_id = mentor.user_id"
        " AND b.blocked_id = mentee.user_id) OR (b.blocker_id = mentee.user_id"
        " AND b.blocked_id = mentor.user_id)) AS blocked"
        " FROM relationship r"
        " JOIN mentor_profile mentor ON mentor.id = r.mentor_id"
        " JOIN mentee_profile mentee ON mentee.id = r.mentee_id"
        " LEFT JOIN message earlier"
        f" ON earlier.sender_id = {params.add(sender_id)}"
        f" AND earlier.client_message_id = {params.add(client_message_id)}"
        f" WHERE r.id = {params.add(relationship_id)}"
    )
    found = await fetch_bounded(db, sql, params)
    if not found:
        return None
    return Sending(**{**found[0], "blocked": bool(found[0]["blocked"])})


async def by_id(message_id: int) -> Message:
    return await Message.get(id=message_id)


async def _next_seq(
    db: BaseDBAsyncClient, relationship_id: int, open_statuses: Collection[str] | None
) -> int | None:
    """Take the conversation's next seq; None when its status is not one of `open_statuses`."""
    params = Params(dialect_of(db))
    where = f"id = {params.add(relationship_id)}"
    sql = f"UPDATE relationship SET last_seq = last_seq + 1 WHERE {where}"  # noqa: S608 - placeholders
    if open_statuses is not None:
        sql += f" AND status IN ({params.add_all(list(open_statuses))})"
    found = await db.execute_query_dict(sql + " RETURNING last_seq", params.values)
    return int(found[0]["last_seq"]) if found else None


async def _insert_taking_seq(
    db: BaseDBAsyncClient, open_statuses: Collection[str] | None, row: dict[str, Any]
) -> Message | None:
    """SQLite: insert with the next seq in one statement (a trigger moves `last_seq`).

    A transaction would hold the process's one connection across the
    round trips of its statements, and every other query would wait behind it.
    """
    params = Params(SQLITE)
    values = ", ".join(params.add(row[column]) for column in _COPIED)
    sql = (
        f"INSERT INTO message ({', '.join(_COPIED)}, relationship_id, seq)"  # noqa: S608 - placeholders
        f" SELECT {values}, id, last_seq + 1 FROM relationship"
        f" WHERE id = {params.add(row['relationship_id'])}"
    )
    if open_statuses is not None:
        sql += f" AND status IN ({params.add_all(list(open_statuses))})"
    found = await db.execute_query_dict(sql + " RETURNING id, seq", params.values)
    if not found:
        return None
    return _MESSAGE(row | found[0])


_MESSAGE = model_reader(Message)

# The columns a send copies from its arguments (the rest come from the relationship).
_COPIED = ("sender_id", "body_sealed", "key_id", "client_message_id", "created_at")


async def add_message(
    keys: MessageKeys,
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
    message = await add_message_while(
        None,
        keys,
        relationship_id=relationship_id,
        sender_id=sender_id,
        body=body,
        at=at,
        client_message_id=client_message_id,
    )
    if message is None:
        raise LookupError(f"no relationship {relationship_id}")
    return message


async def add_message_while(
    open_statuses: Collection[str] | None,
    keys: MessageKeys,
    *,
    relationship_id: int,
    sender_id: int,
    body: str,
    at: datetime,
    client_message_id: str | None = None,
) -> Message | None:
    """Like `add_message`, only while the relationship's status is one of `open_statuses`.

    None, and nothing stored, when it is not: the check and the write are one
    statement, so a status that changes meanwhile cannot slip between them.
    """
    sealed = keys.seal(sender_id, body, _associated_data(relationship_id, sender_id))
    row = {
        "relationship_id": relationship_id,
        "sender_id": sender_id,
        "body_sealed": sealed.data,
        "key_id": sealed.key_id,
        "client_message_id": client_message_id,
        "created_at": at,
    }
    db = connection()
    if dialect_of(db) == SQLITE:
        return await _insert_taking_seq(db, open_statuses, row)
    async with in_transaction() as transaction:
        seq = await _next_seq(transaction, relationship_id, open_statuses)
        if seq is None:
            return None
        return await Message.create(**row, seq=seq, using_db=transaction)


_COLUMNS = columns(MessageRecord, "", "message")
_RECORD = reader(MessageRecord)


async def after(relationship_id: int, seq: int, limit: int) -> list[MessageRecord]:
    """Up to `limit` messages with seq > `seq`, oldest first.

    Every live subscription runs this at each wake-up, and pages read 50 at a
    time: one hand-written statement and light records, as the ORM's query
    building and instances cost more than the query.
    """
    return await _page(relationship_id, ">", seq, "ASC", limit)


async def before(relationship_id: int, seq: int | None, limit: int) -> list[MessageRecord]:
    """Up to `limit` messages with seq < `seq` (all when None), newest first."""
    return await _page(relationship_id, "<", seq, "DESC", limit)


async def _page(
    relationship_id: int, bound: str, seq: int | None, order: str, limit: int
) -> list[MessageRecord]:
    db = connection()
    params = Params(dialect_of(db))
    where = f"relationship_id = {params.add(relationship_id)}"
    if seq is not None:
        where += f" AND seq {bound} {params.add(seq)}"
    sql = (
        f"SELECT {_COLUMNS} FROM message WHERE {where}"  # noqa: S608 - placeholders only
        f" ORDER BY seq {order} LIMIT {params.add(limit)}"
    )
    return [_RECORD(row) for row in await fetch_bounded(db, sql, params)]


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
    counted = await fetch_bounded(
        db,
        f"WITH wanted (rid, uid, seq) AS (VALUES {integers(params, keys)}) "  # noqa: S608 - bound
        "SELECT m.relationship_id AS rid, COUNT(*) AS unread FROM wanted JOIN message m "
        "ON m.relationship_id = wanted.rid AND m.seq > wanted.seq "
        "AND m.sender_id <> wanted.uid GROUP BY m.relationship_id",
        params,
    )
    counts = {int(row["rid"]): int(row["unread"]) for row in counted}
    return [counts.get(rid, 0) for rid, _, _ in keys]


async def mark_read(relationship_id: int, *, side: ViewerRole, up_to: int) -> None:
    """Move the side's read marker forward to `up_to` (never backwards)."""
    column = READ_MARKER_COLUMNS[side]
    await Relationship.filter(**{"id": relationship_id, f"{column}__lt": up_to}).update(
        **{column: up_to}
    )
