"""A connection the server closes leaves nothing running behind it.

The server closes a socket from inside an operation: 4403 when an anonymous
connection subscribes to a stream that needs a user, 4403 when the token of
a live subscription is revoked, 1013 when a subscriber falls too far behind.
After each close the operation, the connection's handler and its watchers
end: the server's task count comes back to where it was, and a server with
such a history stops on SIGTERM without a graceful-shutdown timeout to cut
it short.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import websockets

from app import Settings
from orm.vocabulary import EventKind
from resolvers import events
from schema.core.hub import LISTENER_CAPACITY
from tests.clock import FakeClock
from tests.live import PROTOCOL, Closed, LiveServer, Socket, connect, serve
from tests.people import new_mentee, new_mentor, reach
from tests.servers import STARTUP_SECONDS, free_port
from tests.support import ROOT, Client, NoRateLimits, client_operations, key_of, settings_for

FORBIDDEN = 4403
TRY_AGAIN_LATER = 1013
ANONYMOUS_CONNECTIONS = 200
PASSWORD = "correct horse"  # what `Client.register` signs up with
REVOKED_SUBSCRIPTIONS = 30
# Bounds for waiting on the server; reaching one fails the test.
SETTLE_ROUNDS = 500
EXIT_BOUND_SECONDS = 60


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return settings_for(tmp_path, clock=clock, rate_limiter=NoRateLimits())


@pytest.fixture
async def server(settings: Settings) -> AsyncIterator[LiveServer]:
    async with serve(settings) as running:
        yield running


@pytest.fixture
async def anon(server: LiveServer) -> AsyncIterator[Client]:
    async with httpx.AsyncClient(base_url=server.http_url) as http:
        yield Client(http=http)


async def settled_task_count(baseline: int) -> int:
    """The event loop's task count once it is back to `baseline`, or what it stays at."""
    for _ in range(SETTLE_ROUNDS):
        count = len(asyncio.all_tasks())
        if count <= baseline:
            return count
        await asyncio.sleep(0.01)
    return len(asyncio.all_tasks())


async def test_anonymous_subscriptions_closed_with_4403_leave_no_task_behind(
    server: LiveServer,
) -> None:
    baseline = len(asyncio.all_tasks())
    for number in range(ANONYMOUS_CONNECTIONS):
        async with connect(server, None) as socket:
            stream = "ViewerEvents" if number % 2 else "MessageAdded"
            await socket.subscribe("x", stream, relationshipId="1")
            assert await socket.close_code() == FORBIDDEN

    assert await settled_task_count(baseline) == baseline


async def test_revoked_subscriptions_leave_no_task_behind(
    server: LiveServer, anon: Client, clock: FakeClock
) -> None:
    mentor = await new_mentor(anon, "mentor@example.org", "Marta Mentor")
    mentee = await new_mentee(anon, "mentee@example.org", "Mika Mentee")
    chat = await reach("ACCEPTED", mentor, mentee, clock)
    login = client_operations()["Login"]
    baseline = len(asyncio.all_tasks())

    for _ in range(REVOKED_SUBSCRIPTIONS):
        reply = await anon.query(
            login, {"email": "mentee@example.org", "password": "correct horse"}
        )
        session = anon.signed_in(reply.data["login"]["token"], mentee.client.user_id or "")
        async with connect(server, session.token) as socket:
            await socket.subscribe("m", "MessageAdded", relationshipId=chat)
            await socket.subscribe("e", "ViewerEvents")
            await until_listeners(server, 4)
            assert (await session.op("Logout")).data == {"logout": True}
            assert await socket.close_code() == FORBIDDEN

    assert await settled_task_count(baseline) == baseline
    assert server.hub.listener_count() == 0


async def test_a_subscriber_too_far_behind_is_closed_with_1013_and_leaves_no_task(
    server: LiveServer, anon: Client, clock: FakeClock
) -> None:
    mentor = await new_mentor(anon, "mentor@example.org", "Marta Mentor")
    mentee = await new_mentee(anon, "mentee@example.org", "Mika Mentee")
    chat = await reach("ACCEPTED", mentor, mentee, clock)
    assert mentee.client.token
    baseline = len(asyncio.all_tasks())

    async with connect(server, mentee.client.token) as socket:
        await socket.subscribe("e", "ViewerEvents")
        await until_listeners(server, 2)
        # More events at once than its listener may hold: it overflows
        # before the subscription runs again.
        for _ in range(2 * LISTENER_CAPACITY):
            notice = (EventKind.MESSAGE_RECEIVED, key_of(chat), clock(), [key_of(mentee.user_id)])
            await events.publish(server.hub, *notice)
        code = await close_code_after_data(socket)

    assert code == TRY_AGAIN_LATER
    assert await settled_task_count(baseline) == baseline


async def close_code_after_data(socket: Socket) -> int | None:
    """Read past whatever arrived before the close; the close code."""
    while True:
        try:
            await socket.receive()
        except Closed as closed:
            return closed.code


async def until_listeners(server: LiveServer, count: int) -> None:
    for _ in range(SETTLE_ROUNDS):
        if server.hub.listener_count() == count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{server.hub.listener_count()} listeners, expected {count}")


def test_a_server_that_closed_sockets_stops_on_sigterm(tmp_path: Path) -> None:
    """`uvicorn app:app` without a graceful-shutdown timeout: nothing may keep it waiting."""
    port = free_port()
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite://{tmp_path / 'data' / 'db.sqlite3'}",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
    }
    command = [sys.executable, "-m", "uvicorn", "app:app", "--port", str(port)]
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, cwd=tmp_path, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        until_ready(server, base_url, log)
        ws_url = base_url.replace("http://", "ws://") + "/graphql"
        asyncio.run(close_anonymous_subscriptions(ws_url, 20))

        # A connection still open is closed by the shutdown ("service restart").
        assert asyncio.run(terminate_while_connected(server, ws_url)) == 1012
        try:
            server.wait(timeout=EXIT_BOUND_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail("the server did not stop on SIGTERM:\n" + log.read_text())
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def until_ready(server: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    for _ in range(STARTUP_SECONDS * 10):
        assert server.poll() is None, log.read_text()
        try:
            if httpx.get(f"{base_url}/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail("the server did not become ready:\n" + log.read_text())


async def close_anonymous_subscriptions(url: str, count: int) -> None:
    for _ in range(count):
        async with websockets.connect(url, subprotocols=[PROTOCOL]) as connection:  # type: ignore[list-item]
            socket = Socket(connection)
            await socket.init(None)
            await socket.subscribe("x", "ViewerEvents")
            assert await socket.close_code() == FORBIDDEN


async def terminate_while_connected(server: subprocess.Popen[bytes], url: str) -> int | None:
    async with websockets.connect(url, subprotocols=[PROTOCOL]) as connection:  # type: ignore[list-item]
        socket = Socket(connection)
        await socket.init(None)
        server.send_signal(signal.SIGTERM)
        return await socket.close_code()


async def test_the_protocols_own_closes_leave_no_task_behind(tmp_path: Path) -> None:
    """4400 (a bad message), 4406 (the legacy `graphql-ws`), 4408 (no `connection_init`)."""
    settings = settings_for(tmp_path, connection_init_wait=0.1)
    async with serve(settings) as server:
        baseline = len(asyncio.all_tasks())
        for _ in range(20):
            async with connect(server) as socket:
                await socket.send({"type": "nonsense"})
                assert await socket.close_code() == 4400
            async with websockets.connect(server.ws_url, subprotocols=["graphql-ws"]) as legacy:  # type: ignore[list-item]
                assert await Socket(legacy).close_code() == 4406
            async with connect(server, init=False) as socket:
                assert await socket.close_code() == 4408

        assert await settled_task_count(baseline) == baseline
