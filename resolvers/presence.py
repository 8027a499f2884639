"""Who is online: a request in the last few minutes, or an open live socket.

The unread-messages digest waits for members who are away, and every
process must agree on who that is, so presence is kept in the database.
The request path only notes the member in memory (`seen`: one dict store);
`flush` writes everyone noted since the last flush, plus everyone this
process holds a live `viewerEvents` socket for, in one statement, every
`interval` seconds. So a member costs the database at most one write per
interval, however many requests they send.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from orm import presence as presence_rows
from resolvers.clock import Clock
from resolvers.hub import Hub

logger = logging.getLogger("mentoring.presence")

FLUSH_INTERVAL = 30.0


class Presence:
    def __init__(self, clock: Clock, hub: Hub | None = None) -> None:
        self.clock = clock
        self.hub = hub
        self._noted: dict[int, datetime] = {}

    def seen(self, user_id: int) -> None:
        """The member sent a request now (called on every authenticated request)."""
        self._noted[user_id] = self.clock()

    async def flush(self) -> None:
        noted, self._noted = self._noted, {}
        if self.hub is not None:
            now = self.clock()
            for user_id in self.hub.listening_users():
                noted[user_id] = now
        if noted:
            await presence_rows.record(noted)

    async def run(self, interval: float = FLUSH_INTERVAL) -> None:
        """Flush every `interval` seconds until cancelled; a failure is logged, not fatal."""
        try:
            while True:
                await asyncio.sleep(interval)
                try:
                    await self.flush()
                except Exception:
                    logger.exception("presence flush failed; trying again in %s s", interval)
        finally:
            # What was noted last still counts after a restart.
            try:
                await self.flush()
            except Exception:
                logger.exception("presence flush at shutdown failed")
