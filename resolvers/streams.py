"""The live streams behind the subscriptions, as plain async generators.

Each registers with the hub FIRST, then reads the database: a message
committed between the two is found by the read, one committed later wakes
the listener, so nothing falls between. The database is the truth: a
stream reads `seq > cursor` in pages after every wake-up and yields in
order, so a client resuming with `after` gets no gap and no duplicate,
across reconnects and server restarts alike.

A stream ends (`Revoked`) when its token is revoked, and (`Expired`) when
the token's expiry passes: a socket outlives no token it was opened with.
Expiry is judged by the service's clock, passed in as `clock`: the stream
waits at most until the moment that clock gives for the token's end, and
checks again on every wake-up, so a clock moved past it ends the stream at
its next wake-up.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from orm import messages as message_rows
from orm.records import MessageRecord
from resolvers import signals
from resolvers.clock import Clock
from resolvers.cursors import optional_cursor
from resolvers.events import EVENT, ViewerEvent, revokes, session_channel
from resolvers.hub import RESYNC, Hub, Listener, conversation_channel, user_channel
from resolvers.messaging import conversation_of
from resolvers.tokens import Authenticated, still_valid

# Messages read per query while catching up.
READ_PAGE = 100


class Revoked(Exception):
    """The token behind the stream was revoked (logout): the stream ends."""


class Expired(Revoked):
    """The token behind the stream has expired: the stream ends as if revoked."""


async def message_added(
    signed_in: Authenticated, relationship_id: str, after: str | None, *, hub: Hub, clock: Clock
) -> AsyncIterator[MessageRecord]:
    cursor = optional_cursor("after", after)
    seen = await conversation_of(signed_in.user, relationship_id)
    key = seen.relationship.id
    channels = (conversation_channel(key), session_channel(signed_in.session_id))
    async with hub.listen(*channels) as listener:
        await _still_live(signed_in, clock)
        if cursor is None:
            cursor = await message_rows.last_seq(key)  # from now on
        woken = False  # what the first read finds is a catch-up, not a delivery
        while True:
            _check_expiry(signed_in, clock)
            batch = await message_rows.after(key, cursor, READ_PAGE)
            for message in batch:
                if woken:
                    signals.message_delivered.send((clock() - message.created_at).total_seconds())
                yield message
                cursor = message.seq
            if len(batch) == READ_PAGE:
                continue
            notices = await _wait(listener, signed_in, clock)
            woken = True
            if any(revokes(notice, signed_in.session_id) for notice in notices):
                raise Revoked
            if await _revoked_while_away(notices, signed_in, clock):
                raise Revoked


async def viewer_events(
    signed_in: Authenticated, *, hub: Hub, clock: Clock
) -> AsyncIterator[ViewerEvent]:
    channels = (user_channel(signed_in.user.id), session_channel(signed_in.session_id))
    async with hub.listen(*channels) as listener:
        await _still_live(signed_in, clock)
        while True:
            notices = await _wait(listener, signed_in, clock)
            if await _revoked_while_away(notices, signed_in, clock):
                raise Revoked
            for notice in notices:
                if revokes(notice, signed_in.session_id):
                    raise Revoked
                if notice.get("type") == EVENT:
                    yield ViewerEvent.from_notice(notice)


async def _still_live(signed_in: Authenticated, clock: Clock) -> None:
    """Once listening: a revocation published before then reached nobody, so ask the database."""
    if not await still_valid(signed_in, clock()):
        raise Revoked


def _check_expiry(signed_in: Authenticated, clock: Clock) -> float:
    """Seconds until the token expires; Expired once it has."""
    seconds_left = signed_in.expires_at - clock().timestamp()
    if seconds_left <= 0:
        raise Expired
    return seconds_left


async def _wait(listener: Listener, signed_in: Authenticated, clock: Clock) -> list[dict[str, Any]]:
    """The listener's next notices, unless the token expires first."""
    try:
        async with asyncio.timeout(_check_expiry(signed_in, clock)):
            return await listener.wait()
    except TimeoutError:
        raise Expired from None


async def _revoked_while_away(
    notices: list[dict[str, Any]], signed_in: Authenticated, clock: Clock
) -> bool:
    """After a broadcast outage a revocation notice may be lost: ask the database."""
    resynced = any(notice.get("type") == RESYNC for notice in notices)
    return resynced and not await still_valid(signed_in, clock())
