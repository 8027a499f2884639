"""broadcaster's `Broadcast`, kept alive when its Redis connection fails.

In broadcaster 0.3.1 the Redis backend's listener task ends silently when its
connection fails: every subscriber then waits forever, and whatever was
published while no listener was there is gone. redis-py would hide short
outages by reconnecting the pub/sub connection on its own, losing messages
just the same, without anyone knowing.

`SupervisedBroadcast` turns redis-py's own reconnects off for the pub/sub
connection, watches the listeners, and when one ends it builds a new backend,
re-subscribes every channel that has subscribers (their queues stay as they
are), and then calls the `on_reconnect` callbacks: the hub wakes every local
subscription, which reads what it missed from the database by cursor.

Publishing never fails the caller: the message is committed before its
notice is published, so a notice lost during an outage costs only a
wake-up, which the reconnect of every subscribing process makes up for.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

from broadcaster import Broadcast
from broadcaster._backends.base import BroadcastBackend
from broadcaster._backends.redis import RedisBackend
from broadcaster._base import Event, Subscriber
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

logger = logging.getLogger("mentoring.broadcast")

# Bounds a publish or a (re)connect when Redis does not answer.
REDIS_TIMEOUT_S = 2.0
# Waits between reconnect attempts: doubling from the first to the last.
FIRST_RETRY_S = 0.1
LAST_RETRY_S = 2.0


def is_redis(url: str) -> bool:
    return url.startswith(("redis://", "rediss://"))


class _FailLoudRedisBackend(RedisBackend):
    """broadcaster's Redis backend without redis-py's silent pub/sub reconnects.

    It also subscribes before it lets its listener run: broadcaster's order
    (wake the listener, then subscribe) lets the listener find no channel
    yet, stop listening and wait for a wake-up that already happened, so
    that nothing is ever received (with redis-py 8).
    """

    def __init__(self, url: str) -> None:
        super().__init__(url)
        # No retries: a dropped connection ends the listener task, where the
        # supervisor sees it, instead of a reconnect that drops messages unseen.
        self._conn = Redis.from_url(
            url, retry=Retry(NoBackoff(), 0), socket_connect_timeout=REDIS_TIMEOUT_S
        )
        self._pubsub = self._conn.pubsub()

    async def subscribe(self, channel: str) -> None:
        await self._pubsub.subscribe(channel)
        self._ready.set()

    def listener(self) -> asyncio.Task[None] | None:
        return self._listener


class SupervisedBroadcast(Broadcast):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._url = url
        self._callbacks: list[Callable[[], None]] = []
        self._supervisor: asyncio.Task[None] | None = None
        self._lost = asyncio.Event()
        self._reconnecting = False
        # Publishing has its own connection, so that it works whenever Redis
        # does, also while the subscriptions are being restored. One retry
        # replaces a pooled connection that died with a restart of Redis.
        self._publisher = (
            Redis.from_url(
                url,
                retry=Retry(NoBackoff(), 1),
                socket_connect_timeout=REDIS_TIMEOUT_S,
                socket_timeout=REDIS_TIMEOUT_S,
            )
            if is_redis(url)
            else None
        )

    def _create_backend(self, url: str) -> BroadcastBackend:
        if is_redis(url):
            return _FailLoudRedisBackend(url)
        backend: BroadcastBackend = super()._create_backend(url)
        return backend

    def on_reconnect(self, callback: Callable[[], None]) -> None:
        """Call `callback` after every reconnect, once the channels are subscribed again."""
        self._callbacks.append(callback)

    @property
    def connected(self) -> bool:
        return not self._reconnecting and not self._lost.is_set()

    async def __aenter__(self) -> SupervisedBroadcast:
        await self.connect()
        return self

    async def connect(self) -> None:
        await super().connect()
        self._supervisor = asyncio.create_task(self._supervise())

    async def disconnect(self) -> None:
        if self._supervisor is not None:
            self._supervisor.cancel()
            with suppress(asyncio.CancelledError):
                await self._supervisor
        await self._stop_backend()
        if self._publisher is not None:
            await self._publisher.aclose()

    async def publish(self, channel: str, message: Any) -> None:
        try:
            if self._publisher is not None:
                await self._publisher.publish(channel, message)
            else:
                await self._backend.publish(channel, message)
        except Exception:
            logger.warning("could not publish on %s: subscribers catch up on reconnecting", channel)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscriber]:
        # As broadcaster's, except that a backend that fails to subscribe
        # leaves the queue in place: the reconnect subscribes its channel.
        queue: asyncio.Queue[Event | None] = asyncio.Queue()
        queues = self._subscribers.setdefault(channel, set())
        queues.add(queue)
        try:
            if len(queues) == 1 and not self._reconnecting:
                try:
                    await self._backend.subscribe(channel)
                except Exception:
                    logger.warning("could not subscribe to %s: reconnecting", channel)
                    self._lost.set()
            yield Subscriber(queue)
        finally:
            queues.discard(queue)
            if not queues and self._subscribers.get(channel) is queues:
                del self._subscribers[channel]
                if not self._reconnecting:
                    with suppress(Exception):
                        await self._backend.unsubscribe(channel)
            await queue.put(None)

    def _listeners(self) -> list[asyncio.Task[None]]:
        tasks = [self._listener_task]
        if isinstance(self._backend, _FailLoudRedisBackend):
            backend_listener = self._backend.listener()
            if backend_listener is not None:
                tasks.append(backend_listener)
        return tasks

    async def _supervise(self) -> None:
        while True:
            lost = asyncio.create_task(self._lost.wait())
            try:
                await asyncio.wait([lost, *self._listeners()], return_when=asyncio.FIRST_COMPLETED)
            finally:
                lost.cancel()
            for task in self._listeners():
                if task.done() and not task.cancelled() and task.exception() is not None:
                    logger.warning("the broadcast connection was lost (%s)", task.exception())
            logger.warning("broadcast listener gone: reconnecting")
            self._reconnecting = True
            await self._stop_backend()
            await self._reconnect()
            self._lost.clear()
            logger.info("the broadcast connection is back: live subscriptions catch up")
            for callback in self._callbacks:
                callback()

    async def _stop_backend(self) -> None:
        self._listener_task.cancel()
        with suppress(asyncio.CancelledError, Exception):
            await self._listener_task
        with suppress(Exception):
            await self._backend.disconnect()

    async def _reconnect(self) -> None:
        """A new backend, subscribed to every channel in use, then in service."""
        wait = FIRST_RETRY_S
        while True:
            backend = self._create_backend(self._url)
            try:
                await backend.connect()
                subscribed: set[str] = set()
                # Channels joined meanwhile are subscribed too: the loop ends
                # with no await between its last check and the switch below.
                while pending := set(self._subscribers) - subscribed:
                    for channel in pending:
                        await backend.subscribe(channel)
                        subscribed.add(channel)
            except Exception as error:
                logger.warning("broadcast reconnect failed (%s); next try in %.1fs", error, wait)
                with suppress(Exception):
                    await backend.disconnect()
                await asyncio.sleep(wait)
                wait = min(wait * 2, LAST_RETRY_S)
                continue
            self._backend = backend
            self._listener_task = asyncio.create_task(self._listener())
            self._reconnecting = False
            for channel in subscribed - set(self._subscribers):
                with suppress(Exception):
                    await backend.unsubscribe(channel)
            return
