"""A live subscription holds the same memory after many messages as after a few."""

from __future__ import annotations

import gc

from graphql.execution.collect_fields import FieldDetails

from tests.conversations import send
from tests.live import LiveServer, Socket, connect
from tests.people import Person

# Fewer than one per message: what one event needs is freed with the event.
ALLOWED_GROWTH = 50


def field_records_alive() -> int:
    """Records graphql-core keeps per collected field, in this process (the server's)."""
    gc.collect()
    return sum(isinstance(thing, FieldDetails) for thing in gc.get_objects())


async def deliver(mentor: Person, chat: str, socket: Socket, count: int) -> None:
    for number in range(count):
        await send(mentor, chat, f"Message {number}")
        await socket.next_data("chat")


async def test_a_subscription_does_not_grow_with_the_messages_it_delivers(
    server: LiveServer, mentor: Person, mentee: Person, chat: str
) -> None:
    cursor = (await send(mentor, chat, "Before the socket"))["cursor"]
    async with connect(server, mentee.client.token) as socket:
        await socket.subscribe("chat", "MessageAdded", relationshipId=chat, after=cursor)
        await deliver(mentor, chat, socket, 10)
        after_a_few = field_records_alive()
        await deliver(mentor, chat, socket, 200)
        after_many = field_records_alive()

    assert after_many - after_a_few < ALLOWED_GROWTH
