"""What the sweep schedules by time: request reminders, and unread-messages digests.

- A request still unanswered after 7 days, and again after 12, reminds its
  mentor (it expires after 14, `resolvers.settling`). Each reminder goes in
  its own window ([7, 12) and [12, 14) days), so a sweep that was away for
  days sends the one that is due, not both at once; an answered request is
  no longer REQUESTED and gets none.
- Unread messages: when the first message a member has not read (and that
  no digest covered) is 30 minutes old, and the member has not been online
  since it came (`resolvers.presence`), one digest goes, and the next digest
  of that conversation waits at least 6 hours. It names a count and a
  sender, never what was written.

The sweep runs with the service's clock, so tests move time instead of
waiting.
"""

from __future__ import annotations

import itertools
import logging
from datetime import datetime, timedelta

from orm import outbox
from orm import relationships as rows
from orm import reminders as reminder_rows
from orm.vocabulary import NotificationKind

logger = logging.getLogger("mentoring.reminders")

REMINDER_DAYS = (7, 12)
EXPIRY_DAYS = 14
DIGEST_DELAY = timedelta(minutes=30)
DIGEST_SPACING = timedelta(hours=6)


async def remind_of_requests(now: datetime) -> int:
    queued = 0
    windows = (*REMINDER_DAYS, EXPIRY_DAYS)
    for day, next_day in itertools.pairwise(windows):
        queued += await reminder_rows.queue_request_reminders(
            now,
            day=day,
            requested_from=now - timedelta(days=next_day),
            requested_before=now - timedelta(days=day) + timedelta(microseconds=1),
        )
    return queued


async def digest_unread_messages(now: datetime) -> int:
    waiting = await reminder_rows.unread_waiting(
        first_before=now - DIGEST_DELAY + timedelta(microseconds=1),
        last_digest_before=now - DIGEST_SPACING + timedelta(microseconds=1),
    )
    if not waiting:
        return 0
    queued = 0
    async with rows.transaction():
        for unread in waiting:
            key = f"unread:{unread.relationship_id}:{unread.user_id}:{unread.through_seq}"
            added = await outbox.queue(
                NotificationKind.UNREAD_MESSAGES,
                unread.user_id,
                unread.relationship_id,
                now,
                through_seq=unread.through_seq,
                dedupe_key=key,
            )
            queued += int(added)
        await reminder_rows.mark_digested(waiting, now)
    return queued


async def schedule(now: datetime) -> int:
    """Queue every reminder and digest now due; how many e-mails that added."""
    queued = await remind_of_requests(now) + await digest_unread_messages(now)
    if queued:
        logger.info("queued %d reminders and digests", queued)
    return queued
