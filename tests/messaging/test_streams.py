"""messageAdded and viewerEvents over real WebSockets (graphql-transport-ws)."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

from app import Settings
from tests.clock import FakeClock
from tests.conversations import send
from tests.live import LiveServer, connect, serve
from tests.people import Person, act, propose, request
from tests.support import Client


async def test_new_messages_stream_live_in_order(
    server: LiveServer, mentor: Person, mentee: Person, chat: str
) -> None:
    async with connect(server, mentee.client.token) as socket:
        await socket.subscribe("1", "MessageAdded", relationshipId=chat)
        await _until_listening(server, 2)  # without `after`, the stream starts now
        sent = [await send(mentor, chat, f"Live {index}") for index in range(5)]

        received = [(await socket.next_data("1"))["messageAdded"] for _ in sent]

    assert [m["body"] for m in received] == [f"Live {index}" for index in range(5)]
    assert [m["cursor"] for m in received] == [m["cursor"] for m in sent]
    assert received[0]["sender"] == {"id": mentor.user_id}


async def test_after_replays_every_later_message_then_streams(
    server: LiveServer, mentor: Person, mentee: Person, chat: str
) -> None:
    first = await send(mentor, chat, "Before the socket 1")
    await send(mentee, chat, "Before the socket 2")
    await send(mentor, chat, "Before the socket 3")

    async with connect(server, mentor.client.token) as socket:
        await socket.subscribe("a", "MessageAdded", relationshipId=chat, after=first["cursor"])
        replayed = [(await socket.next_data("a"))["messageAdded"]["body"] for _ in range(2)]
        await send(mentee, chat, "After the socket")
        live = (await socket.next_data("a"))["messageAdded"]["body"]

    assert replayed == ["Before the socket 2", "Before the socket 3"]
    assert live == "After the socket"


async def test_resuming_after_a_reconnect_loses_and_doubles_nothing(
    server: LiveServer, mentor: Person, mentee: Person, chat: str
) -> None:
    seen: list[str] = []
    cursor = (await send(mentor, chat, "m0"))["cursor"]
    sender = asyncio.create_task(_send_many(mentor, chat, range(1, 41)))
    while len(seen) < 40:
        async with connect(server, mentee.client.token) as socket:
            await socket.subscribe("r", "MessageAdded", relationshipId=chat, after=cursor)
            for _ in range(7):  # drop the connection every few messages
                if len(seen) == 40:
                    break
                message = (await socket.next_data("r"))["messageAdded"]
                seen.append(message["body"])
                cursor = message["cursor"]
    await sender

    assert seen == [f"m{index}" for index in range(1, 41)]


async def _send_many(person: Person, chat: str, numbers: range) -> None:
    for number in numbers:
        await send(person, chat, f"m{number}")


async def test_resuming_after_a_server_restart_reads_from_the_database(
    settings: Settings, mentor: Person, mentee: Person, chat: str, server: LiveServer
) -> None:
    cursor = (await send(mentor, chat, "Before the restart"))["cursor"]
    await send(mentee, chat, "Missed while away")

    async with serve(settings) as restarted, connect(restarted, mentor.client.token) as socket:
        await socket.subscribe("s", "MessageAdded", relationshipId=chat, after=cursor)
        missed = (await socket.next_data("s"))["messageAdded"]["body"]

    assert missed == "Missed while away"


async def test_outsiders_get_an_error_and_never_a_message(
    server: LiveServer, mentor: Person, outsider: Person, chat: str
) -> None:
    async with connect(server, outsider.client.token) as socket:
        await socket.subscribe("o", "MessageAdded", relationshipId=chat)
        answer = await socket.receive()
        await send(mentor, chat, "Not for outsiders")
        after = await socket.receive()

    assert answer["type"] == "next"
    assert answer["payload"]["data"] is None
    assert answer["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert after == {"id": "o", "type": "complete"}


async def test_an_anonymous_socket_is_closed_with_4403(
    server: LiveServer, mentor: Person, chat: str
) -> None:
    async with connect(server, None) as socket:
        await socket.subscribe("x", "MessageAdded", relationshipId=chat)
        assert await socket.close_code() == 4403
    async with connect(server, "not-a-token") as socket:
        await socket.subscribe("y", "ViewerEvents")
        assert await socket.close_code() == 4403


async def test_an_anonymous_socket_may_still_run_public_queries(server: LiveServer) -> None:
    async with connect(server, None) as socket:
        await socket.send(
            {"id": "q", "type": "subscribe", "payload": {"query": "{ viewer { id } }"}}
        )
        assert await socket.next_data("q") == {"viewer": None}


async def test_logging_out_stops_the_live_subscriptions_of_that_token(
    server: LiveServer, anon: Client, mentor: Person, mentee: Person, chat: str
) -> None:
    async with connect(server, mentee.client.token) as socket:
        await socket.subscribe("1", "MessageAdded", relationshipId=chat)
        await socket.subscribe("2", "ViewerEvents")
        await _until_listening(server, 4)  # conversation + session, user + session

        assert (await mentee.client.op("Logout")).data == {"logout": True}
        code = await socket.close_code()
        await send(mentor, chat, "Nobody reads this on that socket")

    assert code == 4403


async def _until_listening(server: LiveServer, count: int) -> None:
    for _ in range(1000):
        if server.hub.listener_count() >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{server.hub.listener_count()} listeners, expected {count}")


async def test_viewer_events_reach_the_user_they_concern(
    server: LiveServer, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    async with (
        connect(server, mentor.client.token) as mentors,
        connect(server, mentee.client.token) as mentees,
    ):
        await mentors.subscribe("m", "ViewerEvents")
        await mentees.subscribe("e", "ViewerEvents")
        await _until_listening(server, 2)

        relationship_id = await request(mentee, mentor)
        received = (await mentors.next_data("m"))["viewerEvents"]
        await act(mentor, "AcceptRequest", relationshipId=relationship_id)
        accepted = (await mentees.next_data("e"))["viewerEvents"]
        await propose(mentee, relationship_id, clock)
        proposed = (await mentors.next_data("m"))["viewerEvents"]
        await send(mentor, relationship_id, "Hello there")
        message = (await mentees.next_data("e"))["viewerEvents"]
        await act(mentee, "EndRelationship", relationshipId=relationship_id)
        ended = (await mentors.next_data("m"))["viewerEvents"]

    assert (received["kind"], received["relationship"]) == (
        "REQUEST_RECEIVED",
        {"id": relationship_id, "status": "REQUESTED"},
    )
    assert accepted["kind"] == "REQUEST_ACCEPTED"
    assert accepted["relationship"]["status"] == "ACCEPTED"
    assert proposed["kind"] == "AGREEMENT_PROPOSED"
    assert message["kind"] == "MESSAGE_RECEIVED"
    assert (ended["kind"], ended["relationship"]["status"]) == ("RELATIONSHIP_ENDED", "ENDED")
    assert received["at"].endswith("Z")


async def test_closing_hundreds_of_sockets_leaves_no_listener_behind(
    server: LiveServer, mentee: Person, chat: str
) -> None:
    for _ in range(10):
        async with AsyncExitStack() as stack:
            for _ in range(30):
                socket = await stack.enter_async_context(connect(server, mentee.client.token))
                await socket.subscribe("1", "MessageAdded", relationshipId=chat)
                await socket.subscribe("2", "ViewerEvents")
            # Each socket listens on its conversation, its user channel and,
            # twice, on its session's channel.
            await _until_listening(server, 30 * 4)
        # Leaving the block drops all 30 connections at once.

    for _ in range(1000):
        if server.hub.listener_count() == 0 and server.hub.channel_count() == 0:
            break
        await asyncio.sleep(0.01)
    assert server.hub.listener_count() == 0
    assert server.hub.channel_count() == 0
    broadcast = server.app.state.services.broadcast
    assert broadcast._subscribers == {}


async def test_each_viewer_event_has_its_own_id_the_same_on_every_socket(
    server: LiveServer, mentor: Person, mentee: Person
) -> None:
    async with (
        connect(server, mentor.client.token) as first,
        connect(server, mentor.client.token) as second,
    ):
        await first.subscribe("1", "ViewerEvents")
        await second.subscribe("2", "ViewerEvents")
        await _until_listening(server, 4)  # user + session channel, per socket

        relationship_id = await request(mentee, mentor)
        received = [
            (await s.next_data(i))["viewerEvents"] for s, i in ((first, "1"), (second, "2"))
        ]
        await act(mentee, "WithdrawRequest", relationshipId=relationship_id)
        withdrawn = [
            (await s.next_data(i))["viewerEvents"] for s, i in ((first, "1"), (second, "2"))
        ]

    assert [event["kind"] for event in received + withdrawn] == ["REQUEST_RECEIVED"] * 2 + [
        "REQUEST_WITHDRAWN"
    ] * 2
    assert received[0]["id"] == received[1]["id"]
    assert withdrawn[0]["id"] == withdrawn[1]["id"] != received[0]["id"]
    # Events are not stored: their ids name nothing `node` can read again.
    reply = await mentor.client.op("Node", id=received[0]["id"])
    assert reply.data == {"node": None}
