"""A client that stops reading is closed; it never makes the server hold more.

Each live subscription waits on a bounded listener, and each WebSocket send
gets `websocket_send_timeout` seconds. A client that stops reading (a stuck
tab, a dead network that still ACKs) first fills the socket's buffers; the
next send times out and the server drops the connection, so neither its task
nor a queue stays behind. The client comes back with `after`.
"""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path
from typing import Any

import pytest

from app import Settings
from orm.vocabulary import EventKind
from resolvers import events
from schema.core.hub import LISTENER_CAPACITY, BroadcastHub
from tests.clock import FakeClock
from tests.conversations import send
from tests.live import Closed, LiveServer, Socket, connect, stalled
from tests.people import Person
from tests.support import NoRateLimits, key_of, settings_for

# Long enough for the flood below to land while the stuck client is still held.
SEND_TIMEOUT = 1.0
MAX_MESSAGES = 300
# Emoji leave JSON as surrogate pairs (`\\ud83d\\ude00`, 12 bytes each): 4,000 of
# them make a 48 KB frame, so that even the server's send buffer (the kernel
# grows it to 4 MiB) fills after about a hundred messages.
EMOJI = [chr(code) for code in range(0x1F600, 0x1F650)]


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return settings_for(
        tmp_path, clock=clock, rate_limiter=NoRateLimits(), websocket_send_timeout=SEND_TIMEOUT
    )


def noise() -> str:
    return "".join(secrets.choice(EMOJI) for _ in range(4000))


def longest_queue(hub: BroadcastHub) -> int:
    """The most notices any listener of the hub holds right now."""
    return max(
        (
            len(listener._notices)
            for channel in hub._channels.values()
            for listener in channel.listeners
        ),
        default=0,
    )


async def test_a_client_that_stops_reading_is_dropped_and_the_others_keep_receiving(
    server: LiveServer, mentor: Person, mentee: Person, chat: str, clock: FakeClock
) -> None:
    assert mentee.client.token
    async with (
        stalled(server, mentee.client.token) as stuck,
        connect(server, mentor.client.token) as healthy,
    ):
        await stuck.subscribe("m", "MessageAdded", relationshipId=chat)
        await stuck.subscribe("e", "ViewerEvents")
        await healthy.subscribe("m", "MessageAdded", relationshipId=chat)
        await until_listeners(server, 6)  # stuck: 2 + 2, healthy: 2

        longest, flooded, sent, received = 0, False, list[str](), list[str]()
        # The partner keeps writing; the stuck client reads nothing meanwhile.
        while server.hub.listener_count() > 2 and len(sent) < MAX_MESSAGES:
            sent.append((await send(mentor, chat, noise()))["cursor"])
            received.append((await healthy.next_data("m"))["messageAdded"]["cursor"])
            if not flooded and longest_queue(server.hub) > 0:
                # Its viewerEvents are stuck behind a full socket: many more
                # events for it than its listener may hold, all at once.
                await flood(server.hub, key_of(mentee.user_id), key_of(chat), clock)
                flooded = True
            longest = max(longest, longest_queue(server.hub))
        given_up_after = len(sent)
        for _ in range(3):  # and the healthy subscriber still gets what follows
            sent.append((await send(mentor, chat, noise()))["cursor"])
            received.append((await healthy.next_data("m"))["messageAdded"]["cursor"])
        assert server.hub.listener_count() == 2

        # The stuck client reads again: what got through, then the end.
        got_through = await read_to_the_end(stuck)

    assert given_up_after < MAX_MESSAGES, "the stuck client was never given up"
    assert received == sent
    assert longest == LISTENER_CAPACITY, "the stuck listener's buffer is not bounded"
    delivered = [
        m["payload"]["data"]["messageAdded"]["cursor"] for m in got_through if m["id"] == "m"
    ]
    assert delivered == sent[: len(delivered)], "a gap or a doubled message before the end"
    assert len(delivered) < given_up_after


async def flood(hub: BroadcastHub, user_id: int, relationship_id: int, clock: FakeClock) -> None:
    for _ in range(2 * LISTENER_CAPACITY):
        await events.publish(hub, EventKind.MESSAGE_RECEIVED, relationship_id, clock(), [user_id])
    await asyncio.sleep(0.05)  # the hub's readers fan them out


async def read_to_the_end(socket: Socket) -> list[dict[str, Any]]:
    """Every message until the server ends the connection."""
    messages = []
    while True:
        try:
            messages.append(await socket.receive())
        except Closed:
            return messages


async def until_listeners(server: LiveServer, count: int) -> None:
    for _ in range(1000):
        if server.hub.listener_count() == count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{server.hub.listener_count()} listeners, expected {count}")
