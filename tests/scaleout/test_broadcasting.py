"""The supervised broadcast and the hub survive what Redis and bad input do to them.

Each test runs a private `redis-server` it may stop and start again; the
machine's shared Redis is never touched.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from broadcaster import Broadcast
from redis.asyncio import Redis

from resolvers.hub import RESYNC
from schema.core.broadcasting import SupervisedBroadcast
from schema.core.hub import BroadcastHub, Listener
from tests.scaleout.services import PrivateRedis, private_redis

pytestmark = pytest.mark.services

PATIENCE = 10.0
RESYNC_NOTICE = {"type": RESYNC}


def notice(number: int) -> dict[str, Any]:
    return {"type": "event", "number": number}


async def next_notices(listener: Listener) -> list[dict[str, Any]]:
    return await asyncio.wait_for(listener.wait(), PATIENCE)


@asynccontextmanager
async def hub_on(redis: PrivateRedis) -> AsyncIterator[tuple[BroadcastHub, SupervisedBroadcast]]:
    async with SupervisedBroadcast(redis.url) as broadcast:
        hub = BroadcastHub(broadcast)
        broadcast.on_reconnect(hub.wake_all)
        try:
            yield hub, broadcast
        finally:
            await hub.close()


async def test_a_subscription_survives_a_redis_restart_and_is_woken_to_catch_up(
    tmp_path: Path,
) -> None:
    with private_redis(tmp_path) as redis:
        async with hub_on(redis) as (hub, broadcast), hub.listen("conversation:1") as listener:
            await hub.publish("conversation:1", notice(1))
            assert await next_notices(listener) == [notice(1)]

            redis.stop()
            # The message behind this notice is committed already: the send
            # must not fail, even though nobody can hear the notice.
            await hub.publish("conversation:1", notice(2))
            redis.start()

            # Told to resync instead of the lost notice: it re-reads the database.
            assert await next_notices(listener) == [RESYNC_NOTICE]
            assert broadcast.connected
            await hub.publish("conversation:1", notice(3))
            assert await next_notices(listener) == [notice(3)]


async def test_joining_while_redis_is_down_does_not_hang_and_hears_after_the_restart(
    tmp_path: Path,
) -> None:
    with private_redis(tmp_path) as redis:
        async with hub_on(redis) as (hub, _broadcast):
            redis.stop()
            async with hub.listen("user:7") as listener:
                assert hub.listener_count() == 1
                redis.start()
                assert await next_notices(listener) == [RESYNC_NOTICE]
                await hub.publish("user:7", notice(1))
                assert await next_notices(listener) == [notice(1)]


async def test_many_restarts_in_a_row_leave_every_channel_working(tmp_path: Path) -> None:
    with private_redis(tmp_path) as redis:
        async with hub_on(redis) as (hub, _broadcast):
            channels = [f"conversation:{n}" for n in range(5)]
            async with hub.listen(*channels) as listener:
                for _ in range(3):
                    redis.stop()
                    redis.start()
                    assert await next_notices(listener) == [RESYNC_NOTICE]
                for n, channel in enumerate(channels):
                    await hub.publish(channel, notice(n))
                received: list[dict[str, Any]] = []
                while len(received) < len(channels):
                    received += await next_notices(listener)
                assert sorted(item["number"] for item in received) == list(range(5))


async def test_a_malformed_notice_is_ignored_and_the_channel_keeps_working(
    tmp_path: Path,
) -> None:
    with private_redis(tmp_path) as redis:
        async with hub_on(redis) as (hub, _broadcast), hub.listen("user:1") as first:
            async with Redis.from_url(redis.url) as raw:
                await raw.publish("user:1", "this is not JSON")
                await raw.publish("user:1", "[1, 2]")
            await hub.publish("user:1", notice(1))
            assert await next_notices(first) == [notice(1)]

            async with hub.listen("user:1") as second:
                await hub.publish("user:1", notice(2))
                assert await next_notices(first) == [notice(2)]
                assert await next_notices(second) == [notice(2)]


class FailsToSubscribeFirst(Broadcast):
    """The in-memory broadcast, except that its first subscription fails."""

    def __init__(self) -> None:
        super().__init__("memory://")
        self.failures_left = 1
        self.subscribed = asyncio.Event()

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Any]:
        if self.failures_left:
            self.failures_left -= 1
            raise ConnectionError("the backend is away")
        async with super().subscribe(channel) as subscriber:
            self.subscribed.set()
            yield subscriber


async def test_a_channel_whose_subscription_failed_subscribes_again() -> None:
    broadcast = FailsToSubscribeFirst()
    async with broadcast:
        hub = BroadcastHub(broadcast)
        try:
            async with hub.listen("user:1") as first:
                # The failure tells the listener to read the database.
                assert await next_notices(first) == [RESYNC_NOTICE]
                async with hub.listen("user:1") as joiner:
                    # Once subscribed again, both hear what is published.
                    await asyncio.wait_for(broadcast.subscribed.wait(), PATIENCE)
                    await hub.publish("user:1", notice(1))
                    assert await next_notices(first) == [notice(1)]
                    assert await next_notices(joiner) == [notice(1)]
        finally:
            await hub.close()
