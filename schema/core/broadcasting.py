"""broadcaster's `Broadcast`, kept alive when its Redis connection fails.

broadcaster's own Redis backend ends its listener silently when the
connection fails: every subscriber then waits forever, and whatever was
published while no listener was there is gone. redis-py would hide short
outages by reconnecting the pub/sub connection on its own, losing messages
just the same, without anyone knowing.

So Redis is reached through a backend of our own, `RedisPubSubBackend`,
written against broadcaster's public `BroadcastBackend` interface and
redis-py's public pub/sub API. Its reader notices a lost connection, opens a
new one, subscribes every channel in use again, and then calls the
`on_reconnect` callbacks: the hub wakes every local subscription, which reads
what it missed from the database by cursor. `memory://` is broadcaster's own.

Publishing never fails the caller: the message is committed before its
notice is published, so a notice lost during an outage costs only a
wake-up, which the reconnect of every subscribing process makes up for.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from broadcaster import Broadcast, BroadcastBackend, Event
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from resolvers.redis_client import is_redis

logger = logging.getLogger("mentoring.broadcast")

# Bounds a publish or a (re)connect when Redis does not answer.
REDIS_TIMEOUT_S = 2.0
# Waits between reconnect attempts: doubling from the first to the last.
FIRST_RETRY_S = 0.1
LAST_RETRY_S = 2.0


# redis-py leaves PubSub.connect and aclose untyped: hence the ignores below.


class RedisPubSubBackend(BroadcastBackend):
    """Redis pub/sub for broadcaster that reconnects visibly, never silently."""

    def __init__(self, url: str) -> None:
        # BroadcastBackend's own __init__ only raises: it is an interface.
        self._url = url
        self._channels: set[str] = set()
        self._pubsub: PubSub | None = None
        self._lost = asyncio.Event()
        self._callbacks: list[Callable[[], None]] = []
        # Publishing has its own connection, so that it works whenever Redis
        # does, also while the subscriptions are being restored. One retry
        # replaces a pooled connection that died with a restart of Redis.
        self._publisher = Redis.from_url(
            url,
            retry=Retry(NoBackoff(), 1),
            socket_connect_timeout=REDIS_TIMEOUT_S,
            socket_timeout=REDIS_TIMEOUT_S,
        )

    @property
    def connected(self) -> bool:
        return self._pubsub is not None and not self._lost.is_set()

    def on_reconnect(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    async def connect(self) -> None:
        self._pubsub = await self._open(set())

    async def disconnect(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            with suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
        await self._publisher.aclose()

    async def subscribe(self, group: str) -> None:
        self._channels.add(group)
        await self._send(lambda pubsub: pubsub.subscribe(group))

    async def unsubscribe(self, group: str) -> None:
        self._channels.discard(group)
        await self._send(lambda pubsub: pubsub.unsubscribe(group))

    async def publish(self, channel: str, message: Any) -> None:
        try:
            await self._publisher.publish(channel, message)
        except Exception:
            logger.warning("could not publish on %s: subscribers catch up on reconnecting", channel)

    async def next_published(self) -> Event:
        while True:
            pubsub = self._pubsub
            if pubsub is None or self._lost.is_set():
                await self._reconnect()
                continue
            try:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
            except Exception as error:
                if pubsub is self._pubsub:
                    logger.warning("the broadcast connection was lost (%s): reconnecting", error)
                    self._lost.set()
                continue
            if message is not None and message["type"] == "message":
                return Event(channel=message["channel"].decode(), message=message["data"].decode())

    async def _send(self, command: Callable[[PubSub], Any]) -> None:
        """(Un)subscribe on the live connection; while it is lost, the reconnect does it."""
        pubsub = self._pubsub
        if pubsub is None or self._lost.is_set():
            return
        try:
            await command(pubsub)
        except Exception as error:
            logger.warning("broadcast (un)subscribe failed (%s): reconnecting", error)
            self._lost.set()

    async def _open(self, channels: set[str]) -> PubSub:
        # No retries: a dropped connection raises in the reader, which then
        # reconnects and says so, instead of a reconnect that drops messages unseen.
        connection = Redis.from_url(
            self._url, retry=Retry(NoBackoff(), 0), socket_connect_timeout=REDIS_TIMEOUT_S
        )
        pubsub = connection.pubsub()
        try:
            await pubsub.connect()  # type: ignore[no-untyped-call]
            if channels:
                await pubsub.subscribe(*channels)
        except BaseException:
            with suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
            raise
        return pubsub

    async def _reconnect(self) -> None:
        """A new connection, subscribed to every channel in use, then in service."""
        old, self._pubsub = self._pubsub, None
        if old is not None:
            with suppress(Exception):
                await old.aclose()  # type: ignore[no-untyped-call]
        wait = FIRST_RETRY_S
        while True:
            try:
                subscribed = set(self._channels)
                pubsub = await self._open(subscribed)
                # Channels joined meanwhile are subscribed too: the loop ends
                # with no await between its last check and the switch below.
                while pending := self._channels - subscribed:
                    await pubsub.subscribe(*pending)
                    subscribed |= pending
            except Exception as error:
                logger.warning("broadcast reconnect failed (%s); next try in %.1fs", error, wait)
                await asyncio.sleep(wait)
                wait = min(wait * 2, LAST_RETRY_S)
                continue
            self._pubsub = pubsub
            self._lost.clear()
            if left := subscribed - self._channels:
                await self._send(lambda live: live.unsubscribe(*left))
            logger.info("the broadcast connection is back: live subscriptions catch up")
            for callback in self._callbacks:
                callback()
            return


class SupervisedBroadcast(Broadcast):
    """broadcaster's Broadcast on `memory://`, or on Redis through `RedisPubSubBackend`."""

    def __init__(self, url: str) -> None:
        self._redis = RedisPubSubBackend(url) if is_redis(url) else None
        if self._redis is not None:
            super().__init__(backend=self._redis)
        else:
            super().__init__(url)

    def on_reconnect(self, callback: Callable[[], None]) -> None:
        """Call `callback` after every reconnect, once the channels are subscribed again."""
        if self._redis is not None:
            self._redis.on_reconnect(callback)

    @property
    def connected(self) -> bool:
        return self._redis is None or self._redis.connected

    async def __aenter__(self) -> SupervisedBroadcast:
        await self.connect()
        return self
