"""Statuses that time decides: expiry of unanswered requests, completion.

A request unanswered for 14 days becomes EXPIRED; an ACTIVE relationship
whose `endsOn` has passed becomes COMPLETED. Both are applied lazily, before
anything reads or acts on the relationships concerned, and by a periodic
sweep over all of them, so that no read ever shows a stale status.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from orm import relationships as rows
from orm.models import Relationship
from orm.vocabulary import RelationshipStatus
from resolvers import reminders
from resolvers.clock import Clock
from resolvers.errors import Conflict
from resolvers.lifecycle import SERVICE, Action, Transition, next_status
from resolvers.moves import Move, apply

logger = logging.getLogger("mentoring.settling")

# Due relationships settled per transaction: short enough that requests
# waiting for SQLite's lock barely notice.
BATCH = 200


async def settle(now: datetime, scope: rows.Scope | None = None) -> list[Transition]:
    """Apply every due expiry and completion within `scope`, or everywhere."""
    transitions: list[Transition] = []
    while True:
        due = await rows.due_for_settling(now, limit=BATCH, scope=scope)
        if due:
            transitions += await _settle_batch(due, now)
        if len(due) < BATCH:
            return transitions


async def _settle_batch(due: Sequence[Relationship], now: datetime) -> list[Transition]:
    """One transaction per batch (one commit, not one per row), a savepoint per row."""
    settled: list[Transition] = []
    async with rows.transaction():
        for row in due:
            before = RelationshipStatus(row.status)
            action = Action.EXPIRE if before is RelationshipStatus.REQUESTED else Action.COMPLETE
            move = Move(row, action, before, next_status(before, action, SERVICE), now)
            try:
                async with rows.transaction():
                    await apply(move)
            except Conflict:
                continue  # answered or settled by another request meanwhile
            settled.append(move.transition())
    return settled


async def sweep(clock: Clock) -> list[Transition]:
    """Settle everything due, whoever reads it or not, then queue the reminders and
    digests now due (the periodic job)."""
    now = clock()
    transitions = await settle(now)
    if transitions:
        logger.info("settled %d relationships (expired or completed)", len(transitions))
    await reminders.schedule(now)
    return transitions


async def run_periodically(interval: float, job: Callable[[], Awaitable[object]]) -> None:
    """Run `job` every `interval` seconds until cancelled; a failure is logged, not fatal."""
    while True:
        await asyncio.sleep(interval)
        try:
            await job()
        except Exception:
            logger.exception("periodic job failed; trying again in %s s", interval)
