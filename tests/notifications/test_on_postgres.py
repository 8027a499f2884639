"""The outbox, reminders, digests and settings on PostgreSQL, and senders racing over one outbox.

Most tests are the SQLite ones, collected a second time with a PostgreSQL
database behind the app (the `settings` fixture below overrides the
package's). The race runs four senders, two on each of two connection pools
(as two processes would), over one outbox: each e-mail arrives once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise.context import TortoiseContext

from app import Settings
from orm.binding import bound
from orm.database import open_database
from orm.models import Notification
from resolvers.mail.letters import Letters
from resolvers.mail.server import parse_mail_from, parse_smtp_url
from resolvers.mail.transports import SmtpTransport
from resolvers.outbox_sender import OutboxSender, Report
from resolvers.unsubscribe import UnsubscribeLinks
from tests.clock import FakeClock
from tests.notifications.bulk import queue_accepted_requests
from tests.notifications.conftest import mail_settings
from tests.notifications.smtp import Inbox, SmtpServer
from tests.notifications.test_delivery import (
    mentee,
    mentor,
    test_a_crashed_senders_claim_is_taken_over_once_its_lease_ran_out,
    test_a_kind_switched_off_after_queueing_is_not_sent,
    test_a_server_that_is_down_is_retried_later_and_delivered_once_back,
)
from tests.notifications.test_kinds import (
    pair,
    test_an_expired_request_tells_the_mentee,
    test_proposed_terms_tell_the_partner,
    test_unread_messages_send_one_digest_naming_a_count_and_a_sender,
)
from tests.notifications.test_meeting_reminders import (
    test_a_meeting_moved_after_its_reminder_was_queued_is_reminded_of_its_new_time,
    test_both_hear_24_hours_ahead_in_their_language_and_time_zone,
    test_overlapping_sweeps_and_two_senders_send_each_reminder_once,
    together,
)
from tests.notifications.test_notification_settings import (
    test_update_notification_settings_changes_only_the_switches_sent,
)
from tests.notifications.test_reminders import (
    after,
    conversation,
    test_a_digest_waits_30_minutes_after_the_first_unread_message,
    test_an_open_live_socket_counts_as_online,
    test_an_unanswered_request_reminds_its_mentor_on_day_7_and_day_12,
    test_digests_of_one_conversation_are_six_hours_apart,
    test_no_digest_for_a_member_who_was_online_since_the_message,
)
from tests.notifications.test_unsubscribe import (
    link,
    test_one_click_post_without_cookie_or_token_switches_that_kind_off,
)
from tests.postgres import scratch_database

pytestmark = pytest.mark.services

__all__ = [
    "after",
    "conversation",
    "link",
    "mentee",
    "mentor",
    "pair",
    "test_a_crashed_senders_claim_is_taken_over_once_its_lease_ran_out",
    "test_a_digest_waits_30_minutes_after_the_first_unread_message",
    "test_a_kind_switched_off_after_queueing_is_not_sent",
    "test_a_meeting_moved_after_its_reminder_was_queued_is_reminded_of_its_new_time",
    "test_a_server_that_is_down_is_retried_later_and_delivered_once_back",
    "test_an_expired_request_tells_the_mentee",
    "test_an_open_live_socket_counts_as_online",
    "test_an_unanswered_request_reminds_its_mentor_on_day_7_and_day_12",
    "test_both_hear_24_hours_ahead_in_their_language_and_time_zone",
    "test_digests_of_one_conversation_are_six_hours_apart",
    "test_no_digest_for_a_member_who_was_online_since_the_message",
    "test_one_click_post_without_cookie_or_token_switches_that_kind_off",
    "test_overlapping_sweeps_and_two_senders_send_each_reminder_once",
    "test_proposed_terms_tell_the_partner",
    "test_unread_messages_send_one_digest_naming_a_count_and_a_sender",
    "test_update_notification_settings_changes_only_the_switches_sent",
    "together",
]

RACED = 400


@pytest.fixture
async def settings(tmp_path: Path, clock: FakeClock, smtp: SmtpServer) -> AsyncIterator[Settings]:
    async with scratch_database(migrated=True) as url:
        yield mail_settings(tmp_path, clock, smtp_url=smtp.url, database_url=url)


def _sender(smtp: SmtpServer, clock: FakeClock) -> OutboxSender:
    links = UnsubscribeLinks("a-secret-key-for-the-race-that-is-long-enough", clock)
    letters = Letters(
        parse_mail_from("Alumni Mentoring <mentoring@example.org>"),
        "https://mentoring.example.org",
        links,
    )
    # Small batches: the senders take turns many times over.
    return OutboxSender(SmtpTransport(parse_smtp_url(smtp.url)), letters, clock, batch=20)


async def test_senders_on_two_pools_racing_over_one_outbox_send_each_email_once(
    smtp: SmtpServer, inbox: Inbox, clock: FakeClock
) -> None:
    async with scratch_database(migrated=True) as url, open_database(url) as first:
        queued = await queue_accepted_requests(RACED, clock())
        async with open_database(url, migrate=False) as second:

            async def run(context: TortoiseContext, sender: OutboxSender) -> Report:
                with bound(context):
                    try:
                        return await sender.deliver_due()
                    finally:
                        await sender.transport.close()

            senders = [_sender(smtp, clock) for _ in range(4)]
            reports = await asyncio.gather(
                *(
                    run(context, sender)
                    for context, sender in zip((first, first, second, second), senders, strict=True)
                )
            )
        with bound(first):
            states = Counter(
                row.status.value for row in await Notification.all().only("id", "status")
            )

    message_ids = Counter(str(mail.message["Message-ID"]) for mail in inbox.received)
    recipients = Counter(mail.recipients[0] for mail in inbox.received)
    assert queued == RACED
    assert sum(report["sent"] for report in reports) == RACED
    assert len(message_ids) == RACED
    assert set(message_ids.values()) == {1}
    assert set(recipients.values()) == {1}
    assert states == {"SENT": RACED}
