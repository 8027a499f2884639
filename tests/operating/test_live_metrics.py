"""Live messaging's figures: messages delivered, their send-to-receive time, sockets open."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from app import Settings
from tests.clock import TOKENS_FOR_YEARS, FakeClock
from tests.live import LiveServer, connect
from tests.messaging import conftest as live
from tests.operating.scrape import METRICS_TOKEN, value
from tests.people import Person
from tests.support import NoRateLimits, settings_for

anon, chat, clock, mentee, mentor, server = (
    live.anon,
    live.chat,
    live.clock,
    live.mentee,
    live.mentor,
    live.server,
)


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return settings_for(
        tmp_path,
        clock=clock,
        token_ttl=TOKENS_FOR_YEARS,
        rate_limiter=NoRateLimits(),
        max_websockets_per_address=1000,
        metrics_token=METRICS_TOKEN,
    )


async def _scrape(server: LiveServer) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    from prometheus_client.parser import text_string_to_metric_families

    async with httpx.AsyncClient(base_url=server.http_url) as http:
        reply = await http.get("/metrics", headers={"authorization": f"Bearer {METRICS_TOKEN}"})
    assert reply.status_code == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(reply.text)
        for sample in family.samples
    }


async def test_messages_reaching_a_listener_are_counted_with_their_delay(
    server: LiveServer, mentor: Person, mentee: Person, chat: str
) -> None:
    before = await _scrape(server)
    async with connect(server, mentor.client.token) as socket:
        await socket.subscribe("sub", "MessageAdded", relationshipId=chat)
        await asyncio.sleep(0.2)  # listening before the messages go out
        during = await _scrape(server)
        for body in ("one", "two", "three"):
            await mentee.client.op("SendMessage", input={"relationshipId": chat, "body": body})
            assert (await socket.next_data("sub"))["messageAdded"]["body"] == body
        after = await _scrape(server)

    delivered = "mentoring_messages_delivered_total"
    assert value(after, delivered) - value(before, delivered) == 3
    delay = "mentoring_message_delivery_seconds_count"
    assert value(after, delay) - value(before, delay) == 3
    # The test's clock stands still: every delay falls in the first bucket.
    first = "mentoring_message_delivery_seconds_bucket"
    assert value(after, first, le="0.005") - value(before, first, le="0.005") == 3
    opened = "mentoring_websockets_open"
    assert value(during, opened) - value(before, opened) == 1
    subscribed = "mentoring_live_subscriptions"
    assert value(during, subscribed) - value(before, subscribed) == 1
