"""Messages are rate-limited per sender; a refused one is not stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import Settings
from resolvers.ratelimit import POLICIES, MemoryRateLimiter
from tests.clock import FakeClock
from tests.conversations import conversation, send
from tests.people import Person
from tests.support import settings_for


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return settings_for(tmp_path, clock=clock, rate_limiter=MemoryRateLimiter())


async def test_a_sender_past_the_message_limit_is_refused_and_nothing_is_stored(
    mentor: Person, mentee: Person, chat: str
) -> None:
    limit = POLICIES.messages_per_user.limit
    for number in range(limit):
        await send(mentee, chat, f"message {number}")

    reply = await mentee.client.op(
        "SendMessage", input={"relationshipId": chat, "body": "one too many"}
    )

    assert reply.code == "RATE_LIMITED"
    assert reply.errors[0]["extensions"]["retryAfter"] >= 1
    stored = await conversation(mentor, chat, last=100)
    assert len(stored["edges"]) == limit + 1  # the request message, then the accepted ones
    assert await send(mentor, chat, "the partner may still write")
