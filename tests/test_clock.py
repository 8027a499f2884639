"""One clock: the one the service is built with decides every "now".

A test moves its fake clock, and with it the time-zone distances of
suggestions, the expiry of tokens and sessions, and the end of live streams:
nothing reads the wall clock behind its back.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import Settings
from resolvers.tokens import DEFAULT_TOKEN_TTL
from tests.clock import FakeClock
from tests.live import LiveServer, connect, serve
from tests.people import Person, new_mentee, new_mentor, reach
from tests.support import Client, NoRateLimits, settings_for

# Berlin and New York are 6 h apart, except between the day the US moves its
# clocks forward (8 March 2026) and the day Europe does (29 March 2026): 5 h.
WINTER = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
US_SUMMER_ONLY = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
VIEWER = "{ viewer { id } }"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(WINTER)


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return settings_for(tmp_path, clock=clock, rate_limiter=NoRateLimits())


def time_zone_reason(match: dict[str, Any]) -> tuple[int, str] | None:
    found = [r for r in match["reasons"] if r["criterion"] == "TIME_ZONE"]
    return (found[0]["points"], found[0]["detail"]) if found else None


async def mentor_and_mentee(anon: Client) -> tuple[Person, Person]:
    mentor = await new_mentor(anon, "nyc@example.org", "Nia York", timezone="America/New_York")
    mentee = await new_mentee(anon, "ber@example.org", "Bea Berlin", timezone="Europe/Berlin")
    return mentor, mentee


async def test_match_scores_take_time_zone_distances_at_the_services_clock(
    anon: Client, clock: FakeClock
) -> None:
    mentor, mentee = await mentor_and_mentee(anon)

    async def reason() -> tuple[int, str] | None:
        reply = await mentee.client.op("MatchScore", mentorId=mentor.profile_id)
        return time_zone_reason(reply.data["matchScore"])

    assert await reason() is None  # 6 h apart: no points
    clock.now = US_SUMMER_ONLY
    assert await reason() == (1, "Clock 5 h from yours (America/New_York)")


async def test_suggestions_take_time_zone_distances_at_the_services_clock(
    anon: Client, clock: FakeClock
) -> None:
    _, mentee = await mentor_and_mentee(anon)

    async def reason() -> tuple[int, str] | None:
        reply = await mentee.client.op("MentorSuggestions", first=5)
        (suggested,) = reply.data["mentorSuggestions"]
        return time_zone_reason(suggested)

    assert await reason() is None
    clock.now = US_SUMMER_ONLY
    assert await reason() == (1, "Clock 5 h from yours (America/New_York)")


async def viewer_id(client: Client) -> str | None:
    viewer = (await client.query(VIEWER)).data["viewer"]
    return viewer["id"] if viewer else None


async def test_a_token_expires_when_the_services_clock_passes_its_lifetime(
    user: Client, clock: FakeClock
) -> None:
    clock.advance(seconds=DEFAULT_TOKEN_TTL.total_seconds() - 1)
    assert await viewer_id(user) == user.user_id  # verified now, and remembered

    clock.advance(seconds=1)
    assert await viewer_id(user) is None


async def test_a_new_session_lasts_from_the_services_clock(anon: Client, clock: FakeClock) -> None:
    await anon.register("later@example.org", password="correct horse")
    clock.advance(days=45)  # beyond the first token's lifetime
    login = (await anon.op("Login", email="later@example.org", password="correct horse")).data
    signed_in = anon.signed_in(login["login"]["token"], login["login"]["user"]["id"])

    assert await viewer_id(signed_in) == signed_in.user_id
    clock.advance(days=29)
    assert await viewer_id(signed_in) == signed_in.user_id
    clock.advance(days=1)
    assert await viewer_id(signed_in) is None


@pytest.fixture
async def server(settings: Settings) -> AsyncIterator[LiveServer]:
    async with serve(settings) as running:
        yield running


async def test_a_live_stream_ends_once_the_services_clock_passes_its_tokens_expiry(
    server: LiveServer, clock: FakeClock
) -> None:
    async with httpx.AsyncClient(base_url=server.http_url) as http:
        anon = Client(http=http)
        mentor = await new_mentor(anon, "m@example.org", "Marta Mentor")
        mentee = await new_mentee(anon, "e@example.org", "Mika Mentee")
        chat = await reach("ACCEPTED", mentor, mentee, clock)
        async with connect(server, mentee.client.token) as socket:
            await socket.subscribe("m", "MessageAdded", relationshipId=chat)
            await _until_listening(server)
            await _send(mentor.client, chat, "Before")
            assert (await socket.next_data("m"))["messageAdded"]["body"] == "Before"

            clock.advance(days=31)
            # The mentor signs in again; the message wakes the mentee's stream,
            # whose token the service's clock now says has expired.
            login = (await anon.op("Login", email="m@example.org", password="correct horse")).data[
                "login"
            ]
            await _send(anon.signed_in(login["token"], login["user"]["id"]), chat, "After")

            assert await socket.close_code() == 4403


async def _until_listening(server: LiveServer) -> None:
    # Without `after` a stream starts at its first read: send only after it.
    for _ in range(1000):
        if server.hub.listener_count() >= 2:  # the conversation and the session
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the stream never started listening")


async def _send(client: Client, relationship_id: str, body: str) -> None:
    await client.op("SendMessage", input={"relationshipId": relationship_id, "body": body})
