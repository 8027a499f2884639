"""Two `uvicorn app:app` processes behind an imaginary balancer, on PostgreSQL and Redis.

A client may reach either process with any request; everything a user
relies on must hold as with one process, also while Redis restarts and
when a process is replaced.

The two processes, their database and their Redis serve the whole module
(`tests/scaleout/deployed/conftest.py`).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conversations import send
from tests.live import Socket
from tests.people import Person
from tests.scaleout.cluster import Cluster, Node, connect, events_flowing, messages_flowing, on
from tests.scaleout.services import PrivateRedis
from tests.support import ROOT, Client

pytestmark = [
    pytest.mark.services,
    pytest.mark.asyncio(loop_scope="module"),
]


def bodies(messages: list[dict[str, Any]]) -> list[str]:
    return [message["body"] for message in messages]


async def test_a_message_sent_through_one_process_reaches_a_subscriber_on_the_other(
    first: Node, second: Node, pair: tuple[Person, Person, str]
) -> None:
    mentor, mentee, chat = pair
    async with connect(second, mentee.client.token) as socket:
        await socket.subscribe("e", "ViewerEvents")
        start = await events_flowing(socket, mentor, chat)
        await socket.subscribe("m", "MessageAdded", relationshipId=chat, after=start["cursor"])
        sent = [await send(mentor, chat, f"Across processes {n}") for n in range(3)]
        received = await collect(socket, {"m": 3, "e": 3})

    messages = [data["messageAdded"] for data in received["m"]]
    assert bodies(messages) == bodies(sent)
    assert [m["cursor"] for m in messages] == [m["cursor"] for m in sent]
    kinds = {data["viewerEvents"]["kind"] for data in received["e"]}
    assert kinds == {"MESSAGE_RECEIVED"}


async def collect(socket: Socket, wanted: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    """The data of the next messages, by operation id, until each id has its count."""
    received: dict[str, list[dict[str, Any]]] = {name: [] for name in wanted}
    while any(len(received[name]) < count for name, count in wanted.items()):
        message = await socket.receive()
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        received[message["id"]].append(message["payload"]["data"])
    return received


async def test_logout_on_one_process_refuses_the_token_and_ends_its_streams_on_the_other(
    first: Node, second: Node, pair: tuple[Person, Person, str]
) -> None:
    mentor, mentee, chat = pair
    start = await send(mentor, chat, "Hello")

    async with connect(second, mentee.client.token) as socket:
        await messages_flowing(socket, mentor, chat, after=start["cursor"])

        assert (await mentee.client.op("Logout")).data == {"logout": True}

        assert await socket.close_code() == 4403
    refused = await second.as_user(mentee.client).op("Viewer")
    assert refused.data == {"viewer": None}


async def test_a_logout_during_a_redis_outage_still_ends_the_streams_on_the_other_process(
    first: Node, second: Node, pair: tuple[Person, Person, str], redis: PrivateRedis
) -> None:
    mentor, mentee, chat = pair
    async with (
        connect(second, mentee.client.token) as messages,
        connect(second, mentee.client.token) as events,
    ):
        await events.subscribe("e", "ViewerEvents")
        start = await events_flowing(events, mentor, chat)
        await messages_flowing(messages, mentor, chat, after=start["cursor"])
        assert (await events.next_data("e"))["viewerEvents"]["kind"] == "MESSAGE_RECEIVED"

        redis.stop()
        # Its revocation notice is lost: nobody hears it.
        assert (await mentee.client.op("Logout")).data == {"logout": True}
        redis.start()

        # After the reconnect both streams ask the database, and end.
        assert await messages.close_code() == 4403
        assert await events.close_code() == 4403


async def test_rate_limits_count_the_hits_on_every_process(
    first: Node, second: Node, tag: int
) -> None:
    email = f"limited-{tag}@example.org"
    await Client(http=first.http).register(email, "Lim")
    nodes = [first, second]
    replies = []
    for attempt in range(11):  # ten sign-ins per account per quarter hour
        anon = Client(http=nodes[attempt % 2].http)
        replies.append(await anon.op("Login", email=email, password="correct horse"))

    assert all("errors" not in reply.body for reply in replies[:10])
    assert replies[10].code == "RATE_LIMITED"
    assert replies[10].errors[0]["extensions"]["retryAfter"] > 0


async def test_a_redis_restart_loses_no_message_and_sending_keeps_working(
    first: Node, second: Node, pair: tuple[Person, Person, str], redis: PrivateRedis
) -> None:
    mentor, mentee, chat = pair
    start = await send(mentor, chat, "Before the outage")

    async with connect(second, mentee.client.token) as socket:
        await messages_flowing(socket, mentor, chat, after=start["cursor"], body="Live before")

        redis.stop()
        await first.until_ready(503)
        await second.until_ready(503)
        # The messages are in the database first: sending works without Redis.
        during = [await send(mentor, chat, f"During {n}") for n in range(3)]
        redis.start()

        caught_up = [(await socket.next_data("m"))["messageAdded"] for _ in during]
        await first.until_ready(200)
        await second.until_ready(200)
        await send(on(second, mentor), chat, "After, through the other process")
        after = (await socket.next_data("m"))["messageAdded"]

    assert bodies(caught_up) == bodies(during)
    assert after["body"] == "After, through the other process"


async def test_clients_resume_with_after_when_a_process_is_replaced(
    running: Cluster, first: Node, second: Node, pair: tuple[Person, Person, str]
) -> None:
    mentor, mentee, chat = pair
    start = await send(mentor, chat, "Hello")
    async with connect(second, mentee.client.token) as socket:
        await socket.subscribe("m", "MessageAdded", relationshipId=chat, after=start["cursor"])
        await send(mentor, chat, "Seen before the restart")
        last_seen = (await socket.next_data("m"))["messageAdded"]
        await running.stop(second)
        assert await socket.close_code() is not None

    missed = [await send(mentor, chat, f"Missed {n}") for n in range(3)]
    (replacement,) = await running.start(1)
    async with connect(replacement, mentee.client.token) as socket:
        await socket.subscribe("m", "MessageAdded", relationshipId=chat, after=last_seen["cursor"])
        resumed = [(await socket.next_data("m"))["messageAdded"] for _ in missed]
        await send(mentor, chat, "Live again")
        live = (await socket.next_data("m"))["messageAdded"]

    assert bodies(resumed) == bodies(missed)
    assert live["body"] == "Live again"


async def test_a_suspension_on_one_process_closes_the_members_socket_on_the_other(
    tmp_path: Path,
    postgres_url: str,
    first: Node,
    second: Node,
    pair: tuple[Person, Person, str],
    tag: int,
) -> None:
    _, mentee, _ = pair
    anon = Client(http=first.http)
    moderator = await anon.register(f"moderator-{tag}@example.org", "Moni Moderator")
    await asyncio.to_thread(
        grant_role, tmp_path, postgres_url, f"moderator-{tag}@example.org", "MODERATOR"
    )

    async with connect(second, mentee.client.token) as socket:
        await socket.subscribe("e", "ViewerEvents")
        # Most likely listening by now; a subscription that starts later meets the
        # revoked session instead, and the socket closes with 4403 all the same.
        await asyncio.sleep(0.2)
        suspended = await moderator.op("SuspendMember", memberId=mentee.user_id, reason="Spam.")
        assert suspended.data == {"suspendMember": {"id": mentee.user_id, "suspended": True}}

        assert await socket.close_code() == 4403
    assert (await second.as_user(mentee.client).op("Viewer")).data == {"viewer": None}
    signing_in = await Client(http=second.http).op(
        "Login", email=f"mentee-{tag}@example.org", password="correct horse"
    )
    assert signing_in.code == "SUSPENDED"


def grant_role(directory: Path, database_url: str, email: str, role: str) -> None:
    """The operator's command, against the processes' database."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url}
    subprocess.run(
        [sys.executable, "-m", "app", "grant-role", email, role],
        cwd=directory,
        env=env,
        capture_output=True,
        timeout=120,
        check=True,
    )
