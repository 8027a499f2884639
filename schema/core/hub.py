"""Live delivery in one process (`resolvers.hub.Hub`): one broadcaster subscription per channel.

Writers commit first, then publish a small notice (`Hub.publish`). The hub
holds ONE broadcaster subscription per channel in use in this process and
fans each notice out to its local listeners. A listener's memory is bounded
by design: wake-ups coalesce into one flag (the reader then reads the
database from its cursor), and kept notices (viewer events, revocations)
fill a bounded buffer; a listener that lets it overflow is told so
(`SlowConsumer`) and its client is closed, to resume with `after`.

The channels and what travels on them are the domain's (`resolvers.hub`).
A channel whose subscription
fails subscribes again; after that, and after a reconnect of the broadcast
(`wake_all`), listeners get a RESYNC notice: they re-read by cursor and
re-check what a lost notice would have told them.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from broadcaster import Broadcast

from resolvers.hub import RESYNC, WAKE, SlowConsumer, conversation_channel, user_channel
from schema.core import spans

logger = logging.getLogger("mentoring.live")

# Kept notices one listener may have waiting before it counts as too slow.
LISTENER_CAPACITY = 100
# Waits before a failed channel subscribes again: doubling from the first to the last.
FIRST_RETRY_S = 0.1
LAST_RETRY_S = 2.0


class Listener:
    """What one live subscription waits on: a flag plus a bounded buffer of notices
    (`resolvers.hub.Listener`)."""

    def __init__(self, capacity: int = LISTENER_CAPACITY) -> None:
        self._flag = asyncio.Event()
        self._notices: deque[dict[str, Any]] = deque()
        self._capacity = capacity
        self._overflowed = False

    def deliver(self, notice: dict[str, Any]) -> None:
        if notice.get("type") != WAKE:
            if len(self._notices) >= self._capacity:
                self._overflowed = True
            else:
                self._notices.append(notice)
        self._flag.set()

    async def wait(self) -> list[dict[str, Any]]:
        """Until something arrived; the kept notices since the last call."""
        await self._flag.wait()
        self._flag.clear()
        if self._overflowed:
            raise SlowConsumer
        notices = list(self._notices)
        self._notices.clear()
        return notices


@dataclass
class _Channel:
    listeners: set[Listener] = field(default_factory=set)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    reader: asyncio.Task[None] | None = None


def _deliver(name: str, channel: _Channel, message: str) -> None:
    try:
        notice = json.loads(message)
    except ValueError:
        notice = None
    if not isinstance(notice, dict):
        logger.warning("live channel %s: ignored a malformed notice", name)
        return
    for listener in list(channel.listeners):
        listener.deliver(notice)


class BroadcastHub:
    """`resolvers.hub.Hub` over broadcaster: memory in one process, Redis across several."""

    def __init__(self, broadcast: Broadcast) -> None:
        self._broadcast = broadcast
        self._channels: dict[str, _Channel] = {}

    async def publish(self, channel: str, notice: dict[str, Any]) -> None:
        if spans.tracer is None:
            await self._broadcast.publish(channel, json.dumps(notice))
            return
        # The channel's kind only: its id would be a user's or a conversation's.
        kind = channel.partition(":")[0]
        with spans.tracer.start_as_current_span("broadcast publish", attributes={"channel": kind}):
            await self._broadcast.publish(channel, json.dumps(notice))

    async def wake_conversation(self, relationship_id: int, seq: int) -> None:
        await self.publish(conversation_channel(relationship_id), {"type": WAKE, "seq": seq})

    @asynccontextmanager
    async def listen(self, *channels: str) -> AsyncIterator[Listener]:
        """A listener on `channels`, subscribed before the block starts."""
        listener = Listener()
        joined: list[str] = []
        try:
            for name in channels:
                joined.append(name)
                await self._join(name, listener)
            yield listener
        finally:
            for name in joined:
                self._leave(name, listener)

    def wake_all(self) -> None:
        """After a backend reconnect: every local listener re-reads from its cursor."""
        listeners = {listener for c in self._channels.values() for listener in c.listeners}
        for listener in listeners:
            listener.deliver({"type": RESYNC})

    def listening_users(self) -> list[int]:
        """The users with a live `user:<id>` listener in this process (an open socket)."""
        prefix = user_channel(0).removesuffix("0")
        return [
            int(name.removeprefix(prefix))
            for name, channel in self._channels.items()
            if name.startswith(prefix) and channel.listeners
        ]

    def listener_count(self) -> int:
        return sum(len(channel.listeners) for channel in self._channels.values())

    def channel_count(self) -> int:
        return len(self._channels)

    async def _join(self, name: str, listener: Listener) -> None:
        channel = self._channels.get(name)
        if channel is None:
            channel = self._channels[name] = _Channel()
            channel.reader = asyncio.create_task(self._read(name, channel))
        channel.listeners.add(listener)
        await channel.ready.wait()

    def _leave(self, name: str, listener: Listener) -> None:
        channel = self._channels.get(name)
        if channel is None:
            return
        channel.listeners.discard(listener)
        if not channel.listeners:
            del self._channels[name]
            if channel.reader is not None:
                channel.reader.cancel()

    async def _read(self, name: str, channel: _Channel) -> None:
        """Follow the channel while it has listeners; subscribe again after any failure."""
        wait = FIRST_RETRY_S
        while self._channels.get(name) is channel:
            try:
                async with self._broadcast.subscribe(name) as subscriber:
                    channel.ready.set()
                    wait = FIRST_RETRY_S
                    while True:
                        event = await subscriber.get()
                        _deliver(name, channel, event.message)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("live channel %s failed: subscribing again", name)
            # Notices may have been missed: every listener resyncs from its
            # cursor, and nobody waits for a subscription that failed.
            channel.ready.set()
            for listener in list(channel.listeners):
                listener.deliver({"type": RESYNC})
            await asyncio.sleep(wait)
            wait = min(wait * 2, LAST_RETRY_S)

    async def close(self) -> None:
        readers = [c.reader for c in self._channels.values() if c.reader is not None]
        self._channels.clear()
        for reader in readers:
            reader.cancel()
            with suppress(asyncio.CancelledError):
                await reader
