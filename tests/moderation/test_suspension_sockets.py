"""A suspension ends the member's live sockets at once: every one closes with 4403.

One process here (uvicorn, real WebSockets); tests/scaleout holds the same
across two processes sharing PostgreSQL and Redis.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.clock import FakeClock
from tests.live import LiveServer, connect, serve
from tests.moderation.helpers import REASON, grant_moderator
from tests.people import new_mentee, new_mentor, reach
from tests.support import Client, NoRateLimits, settings_for


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[LiveServer]:
    async with serve(settings_for(tmp_path, rate_limiter=NoRateLimits())) as running:
        yield running


async def until_listening(server: LiveServer, count: int) -> None:
    for _ in range(1000):
        if server.hub.listener_count() >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{server.hub.listener_count()} listeners, expected {count}")


async def test_every_socket_of_the_suspended_member_closes_with_4403(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.http_url) as http:
        anon = Client(http=http)
        moderator = await anon.register("mod@example.org", "Moni Moderator")
        await grant_moderator(server.app, "mod@example.org")
        mentor = await new_mentor(anon, "mentor@example.org", "Marta Mentor")
        mentee = await new_mentee(anon, "mentee@example.org", "Mika Mentee")
        chat = await reach("ACCEPTED", mentor, mentee, FakeClock())
        login = (await anon.op("Login", email="mentee@example.org", password="correct horse")).data
        assert mentee.client.token is not None

        async with (
            connect(server, mentee.client.token) as events,
            connect(server, login["login"]["token"]) as messages,
            connect(server, mentor.client.token) as partner,
        ):
            await events.subscribe("e", "ViewerEvents")
            await messages.subscribe("m", "MessageAdded", relationshipId=chat)
            await partner.subscribe("p", "MessageAdded", relationshipId=chat)
            await until_listening(server, 6)

            await moderator.op("SuspendMember", memberId=mentee.user_id, reason=REASON)

            assert await events.close_code() == 4403
            assert await messages.close_code() == 4403
            # The partner's socket stays open, and their conversation streams on.
            await mentor.client.op("SendMessage", input={"relationshipId": chat, "body": "Hi?"})
            while (data := await partner.next_data("p"))["messageAdded"]["body"] != "Hi?":
                pass  # the replay of earlier messages (the request) comes first
            assert data["messageAdded"]["body"] == "Hi?"
