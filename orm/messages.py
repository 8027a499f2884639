"""Messages of a relationship's conversation: the one place that writes them.

The Messaging issue adds encryption, idempotency (`client_message_id`) and
cursors here, so every writer and reader of message bodies goes through
this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise.expressions import Subquery
from tortoise.functions import Min

from orm.models import Message


async def add_message(
    *,
    relationship_id: int,
    sender_id: int,
    body: str,
    at: datetime,
    client_message_id: str | None = None,
) -> Message:
    return await Message.create(
        relationship_id=relationship_id,
        sender_id=sender_id,
        body=body,
        client_message_id=client_message_id,
        created_at=at,
    )


async def first_messages(relationship_ids: Sequence[int]) -> list[Message | None]:
    """Each relationship's first message (the request's), in the ids' order."""
    firsts = (
        Message.filter(relationship_id__in=list(relationship_ids))
        .annotate(first_id=Min("id"))
        .group_by("relationship_id")
        .values("first_id")
    )
    rows = {row.relationship_id: row for row in await Message.filter(id__in=Subquery(firsts))}
    return [rows.get(key) for key in relationship_ids]
