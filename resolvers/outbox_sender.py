"""The sender: claims due e-mails from the outbox, sends them, records how it went.

One task per process runs `run`, beside the sweeps; any number of processes
may run it on one database. Each pass claims a batch (`orm.outbox.claim`:
atomic, leased), reads what each e-mail needs as it is now, and sends:

- a member who is gone, switched the kind off, or for whom the e-mail is no
  longer true (a request answered before its reminder went, messages read
  before their digest went, a meeting cancelled, moved or begun before its
  reminder went) gets nothing: SKIPPED;
- accepted by the server: SENT;
- refused for good (5xx): FAILED at once, logged once, never retried;
- anything temporary (server down, timeout, 4xx): due again after a delay
  that doubles per attempt (30 s up to an hour), and DEAD, logged, after
  `MAX_ATTEMPTS`; `python -m app outbox --failed` lists both.

Rows are finished only while they still carry this pass's claim, so a pass
whose lease ran out cannot overwrite what another sender recorded.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from orm import messages as message_rows
from orm import outbox
from orm.outbox import Outgoing, RemindedMeeting
from orm.vocabulary import (
    ABOUT_A_RELATIONSHIP,
    SETTING_OF,
    DeliveryStatus,
    MeetingStatus,
    NotificationKind,
    RelationshipStatus,
)
from resolvers.clock import Clock
from resolvers.mail.letters import Letters
from resolvers.mail.transports import Envelope, PermanentFailure, TemporaryFailure, Transport

logger = logging.getLogger("mentoring.outbox")

BATCH = 200
# How long a claim holds: far longer than a batch takes (SMTP commands time
# out after 30 s); a sender that died leaves its rows due again after it.
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)
# Kinds about a request that must still wait for its answer when they go.
ABOUT_AN_OPEN_REQUEST = frozenset(
    {NotificationKind.REQUEST_RECEIVED, NotificationKind.REQUEST_REMINDER}
)


def retry_delay(attempts: int) -> timedelta:
    """30 s after the first attempt, doubling, at most an hour."""
    doublings = min(max(attempts - 1, 0), 16)
    return min(FIRST_RETRY * (1 << doublings), LAST_RETRY)


def why_not(row: Outgoing, unread: int, now: datetime) -> str | None:
    """Why this e-mail should not go (any more); None when it should."""
    setting = SETTING_OF.get(row.kind)
    if setting is not None and row.switches is not None and not row.switches[setting.value]:
        return "switched off"
    if row.kind in ABOUT_A_RELATIONSHIP and (
        row.relationship_id is None or row.relationship_status is None
    ):
        return "relationship gone"
    if row.kind in ABOUT_AN_OPEN_REQUEST and (
        row.relationship_status != RelationshipStatus.REQUESTED.value
    ):
        return "request answered"
    if row.kind is NotificationKind.UNREAD_MESSAGES and unread == 0:
        return "messages read"
    if row.kind is NotificationKind.MEETING_REMINDER:
        return _meeting_gone(row.meeting, now)
    return None


def _meeting_gone(meeting: RemindedMeeting | None, now: datetime) -> str | None:
    """Why a meeting reminder no longer holds: the meeting was cancelled, moved
    (its new time has a reminder of its own), or has begun."""
    if meeting is None or meeting.status != MeetingStatus.CONFIRMED.value:
        return "meeting cancelled"
    if meeting.starts_at != meeting.reminded_start:
        return "meeting moved"
    if meeting.starts_at <= now:
        return "meeting begun"
    return None


@dataclass
class Report:
    """What passes did, by outcome (sent, skipped, failed, retried, dead)."""

    counts: Counter[str] = field(default_factory=Counter)

    def __getitem__(self, outcome: str) -> int:
        return self.counts[outcome]


async def _unread(rows: Sequence[Outgoing]) -> dict[int, int]:
    """Each digest's unread count now: the partner's messages after the recipient's marker."""
    digests = [row for row in rows if row.kind is NotificationKind.UNREAD_MESSAGES]
    keys = [
        (
            row.relationship_id or 0,
            row.recipient_id,
            (row.mentor_read_seq if row.recipient_id == row.mentor_user_id else row.mentee_read_seq)
            or 0,
        )
        for row in digests
    ]
    counts = await message_rows.unread_counts(keys)
    return {row.id: count for row, count in zip(digests, counts, strict=True)}


class OutboxSender:
    def __init__(
        self,
        transport: Transport,
        letters: Letters,
        clock: Clock,
        *,
        interval: float = 1.0,
        batch: int = BATCH,
        lease: timedelta = LEASE,
    ) -> None:
        self.transport = transport
        self.letters = letters
        self.clock = clock
        self.interval = interval
        self.batch = batch
        self.lease = lease
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Look at the outbox now rather than at the next interval."""
        self._wake.set()

    async def run(self) -> None:
        """Deliver what is due, then wait; until cancelled. A failed pass is logged, not fatal."""
        try:
            while True:
                try:
                    await self.deliver_due()
                except Exception:
                    logger.exception("outbox pass failed; trying again in %s s", self.interval)
                # Connections are kept while there is work, not while idle.
                await self.transport.close()
                self._wake.clear()
                try:
                    async with asyncio.timeout(self.interval):
                        await self._wake.wait()
                except TimeoutError:
                    pass
        finally:
            await self.transport.close()

    async def deliver_due(self) -> Report:
        """Claim and deliver batches until nothing is due."""
        report = Report()
        while True:
            now = self.clock()
            if not await outbox.any_due(now):
                return report
            token = secrets.token_hex(16)
            ids = await outbox.claim(now, until=now + self.lease, token=token, limit=self.batch)
            if not ids:
                return report
            await self._deliver(ids, token, report)

    async def _deliver(self, ids: list[int], token: str, report: Report) -> None:
        rows = await outbox.outgoing(ids, token)
        now = self.clock()
        found = {row.id for row in rows}
        skipped: dict[str, list[int]] = defaultdict(list)
        skipped["member gone"] = [key for key in ids if key not in found]
        unread = await _unread(rows)
        sending: list[tuple[Outgoing, Envelope]] = []
        for row in rows:
            reason = why_not(row, unread.get(row.id, 0), now)
            if reason is not None:
                skipped[reason].append(row.id)
                continue
            try:
                envelope = self.letters.envelope(row, unread=unread.get(row.id, 0), now=now)
            except Exception:
                logger.exception("e-mail %d (%s) could not be written", row.id, row.kind.value)
                skipped["not renderable"].append(row.id)
                continue
            sending.append((row, envelope))
            # Composing takes about a millisecond: requests served by this
            # process go in between, rather than waiting for a whole batch.
            await asyncio.sleep(0)
        outcomes = await self.transport.send_all([envelope for _, envelope in sending])
        finished = self.clock()
        await self._record(sending, outcomes, skipped, token, finished, report)

    async def _record(
        self,
        sending: list[tuple[Outgoing, Envelope]],
        outcomes: Sequence[PermanentFailure | TemporaryFailure | None],
        skipped: dict[str, list[int]],
        token: str,
        now: datetime,
        report: Report,
    ) -> None:
        sent: list[int] = []
        retries: dict[tuple[datetime, str], list[int]] = defaultdict(list)
        for (row, _), outcome in zip(sending, outcomes, strict=True):
            if outcome is None:
                sent.append(row.id)
            elif isinstance(outcome, PermanentFailure):
                logger.warning(
                    "e-mail %d (%s) refused for good: %s", row.id, row.kind.value, outcome
                )
                await outbox.finish(
                    [row.id], DeliveryStatus.FAILED, now, token=token, error=str(outcome)
                )
                report.counts["failed"] += 1
            elif row.attempts >= MAX_ATTEMPTS:
                logger.error(
                    "e-mail %d (%s) not delivered after %d attempts, given up: %s",
                    row.id,
                    row.kind.value,
                    row.attempts,
                    outcome,
                )
                await outbox.finish(
                    [row.id], DeliveryStatus.DEAD, now, token=token, error=str(outcome)
                )
                report.counts["dead"] += 1
            else:
                retries[(now + retry_delay(row.attempts), str(outcome))].append(row.id)
        await outbox.finish(sent, DeliveryStatus.SENT, now, token=token)
        report.counts["sent"] += len(sent)
        for reason, ids in skipped.items():
            await outbox.finish(ids, DeliveryStatus.SKIPPED, now, token=token, error=reason)
            report.counts["skipped"] += len(ids)
        for (due, error), ids in retries.items():
            await outbox.retry(ids, due, token=token, error=error)
            report.counts["retried"] += len(ids)
        if retries:
            waiting = sum(len(ids) for ids in retries.values())
            first_error = next(iter(retries))[1]
            logger.warning("%d e-mails not delivered, retried later: %s", waiting, first_error)
