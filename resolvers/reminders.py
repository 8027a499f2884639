"""What the sweep schedules by time: request and meeting reminders, unread-messages digests.

- A request still unanswered after 7 days, and again after 12, reminds its
  mentor (it expires after 14, `resolvers.settling`). Each reminder goes in
  its own window ([7, 12) and [12, 14) days), so a sweep that was away for
  days sends the one that is due, not both at once; an answered request is
  no longer REQUESTED and gets none.
- A confirmed meeting reminds both participants 24 hours before it starts
  (or at the first sweep after it was confirmed, when that was later), each
  once per start time: the key names the meeting, its start and the
  recipient, so overlapping sweeps queue it once, a meeting moved to another
  time is reminded of anew, and one cancelled or moved before the e-mail
  went is skipped by the sender (`resolvers.outbox_sender`).
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
MEETING_NOTICE = timedelta(hours=24)


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


def meeting_reminder_key(attendee: reminder_rows.Attendee) -> str:
    start = int(attendee.starts_at.timestamp())
    return f"meeting:{attendee.meeting_id}:{start}:{attendee.user_id}"


async def remind_of_meetings(now: datetime) -> int:
    attendees = await reminder_rows.meeting_attendees(now, now + MEETING_NOTICE)
    if not attendees:
        return 0
    queued = 0
    async with rows.transaction():
        for attendee in attendees:
            added = await outbox.queue(
                NotificationKind.MEETING_REMINDER,
                attendee.user_id,
                attendee.relationship_id,
                now,
                meeting=(attendee.meeting_id, attendee.starts_at),
                dedupe_key=meeting_reminder_key(attendee),
            )
            queued += int(added)
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
    queued = (
        await remind_of_requests(now)
        + await remind_of_meetings(now)
        + await digest_unread_messages(now)
    )
    if queued:
        logger.info("queued %d reminders and digests", queued)
    return queued
