"""What the domain asks of live delivery: publish a notice, listen on channels.

The domain decides what is announced and to whom (`resolvers.events`,
`resolvers.messaging`, `resolvers.streams`); how a notice travels, in one
process or through Redis to the others, is the runtime's business
(`schema.core.hub`, `schema.core.broadcasting`), which the app hands to the
domain as a `Hub`.

Channels: `conversation:<relationship id>` carries wake-ups (a message was
committed: re-read by cursor); `user:<user id>` carries viewer events and
session revocations. A listener keeps a bounded number of notices; one that
lets it overflow gets `SlowConsumer`, and its client resumes by cursor.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

# A notice that only wakes listeners: they re-read the database by cursor.
WAKE = "wake"
# Delivered after a broadcast outage: notices may have been lost, so a stream
# re-reads, and re-checks what a lost notice would have told it.
RESYNC = "resync"

Notice = dict[str, Any]


def conversation_channel(relationship_id: int) -> str:
    return f"conversation:{relationship_id}"


def user_channel(user_id: int) -> str:
    return f"user:{user_id}"


class SlowConsumer(Exception):
    """A listener let its bounded buffer overflow: close it; it resumes by cursor."""


class Listener(Protocol):
    async def wait(self) -> list[Notice]:
        """Until something arrived; the notices kept since the last call (wake-ups are not kept).

        Raises `SlowConsumer` once more notices arrived than the listener may keep.
        """
        ...


class Hub(Protocol):
    async def publish(self, channel: str, notice: Notice) -> None:
        """Send `notice` to every listener of `channel`, in every process. Never raises."""
        ...

    async def wake_conversation(self, relationship_id: int, seq: int) -> None:
        """Tell the conversation's listeners that message `seq` was committed."""
        ...

    def listen(self, *channels: str) -> AbstractAsyncContextManager[Listener]:
        """A listener on `channels`, subscribed before the block starts."""
        ...

    def listening_users(self) -> list[int]:
        """The users with a live listener on their channel in this process (an open socket)."""
        ...
