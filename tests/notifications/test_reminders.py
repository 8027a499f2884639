"""Reminders of unanswered requests (day 7 and 12) and unread-messages digests, in moved time.

The sweep (`resolvers.settling.sweep`, after noting who was online) schedules
them with the service's clock; the tests move a FakeClock and read what the
SMTP server received.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from starlette.applications import Starlette

from orm.models import Notification, Presence
from resolvers.hub import user_channel
from tests.clock import FakeClock
from tests.notifications.conftest import deliver, sweep
from tests.notifications.smtp import Inbox, Received
from tests.people import Person, act, new_mentee, new_mentor, request
from tests.support import Client, key_of

MENTOR_EMAIL = "mentor@example.org"


@pytest.fixture
async def mentor(anon: Client) -> Person:
    return await new_mentor(anon, MENTOR_EMAIL, "Marta Mentor")


@pytest.fixture
async def mentee(anon: Client) -> Person:
    return await new_mentee(anon, "mentee@example.org", "Mika Mentee")


def subjects(inbox: Inbox, to: str = MENTOR_EMAIL) -> list[str]:
    return [str(mail.message["Subject"]) for mail in inbox.to(to)]


After = Callable[..., Awaitable[list[Received]]]


@pytest.fixture
def after(app: Starlette, inbox: Inbox, clock: FakeClock) -> After:
    async def move(**delta: float) -> list[Received]:
        """Move the clock, sweep, deliver: the e-mails that went."""
        clock.advance(**delta)
        await sweep(app)
        before = len(inbox.received)
        await deliver(app)
        return inbox.received[before:]

    return move


# ---------------------------------------------------------------- request reminders


async def test_an_unanswered_request_reminds_its_mentor_on_day_7_and_day_12(
    app: Starlette, inbox: Inbox, mentor: Person, mentee: Person, clock: FakeClock, after: After
) -> None:
    await request(mentee, mentor)
    await deliver(app)
    inbox.clear()

    day_6 = await after(days=6, hours=23)
    day_7 = await after(hours=1, minutes=1)
    day_8 = await after(days=1)
    day_12 = await after(days=4)
    day_13 = await after(days=1)
    day_14 = await after(days=1)

    assert (day_6, day_8, day_13) == ([], [], [])
    assert [mail.text.count("7 days ago") for mail in day_7] == [1]
    assert [mail.text.count("12 days ago") for mail in day_12] == [1]
    assert "The request expires in 2 days" in day_12[0].text
    assert subjects(inbox) == ["Reminder: Mika Mentee is waiting for your answer"] * 2
    assert [mail.recipients for mail in day_14] == [["mentee@example.org"]]  # expired


async def test_an_answered_request_reminds_nobody(
    app: Starlette, inbox: Inbox, mentor: Person, mentee: Person, clock: FakeClock, after: After
) -> None:
    relationship_id = await request(mentee, mentor)
    clock.advance(days=3)
    await act(mentor, "AcceptRequest", relationshipId=relationship_id)
    await deliver(app)
    inbox.clear()

    later = [*await after(days=4, minutes=1), *await after(days=5)]

    assert later == []
    assert await Notification.filter(kind="REQUEST_REMINDER").count() == 0


async def test_a_reminder_whose_request_was_answered_before_it_left_is_not_sent(
    app: Starlette, inbox: Inbox, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await request(mentee, mentor)
    await deliver(app)
    inbox.clear()
    clock.advance(days=7, minutes=1)
    await sweep(app)  # the reminder is queued

    await act(mentor, "DeclineRequest", relationshipId=relationship_id)
    report = await deliver(app)

    assert report["skipped"] == 1
    assert subjects(inbox) == []


async def test_a_sweep_that_was_away_for_days_sends_only_the_reminder_now_due(
    app: Starlette, inbox: Inbox, mentor: Person, mentee: Person, clock: FakeClock, after: After
) -> None:
    await request(mentee, mentor)
    await deliver(app)
    inbox.clear()

    sent = await after(days=12, hours=12)

    assert [mail.text.count("12 days ago") for mail in sent] == [1]


async def test_reminders_switched_off_are_not_even_queued(
    app: Starlette, inbox: Inbox, mentor: Person, mentee: Person, clock: FakeClock, after: After
) -> None:
    await act(mentor, "UpdateNotificationSettings", input={"requestReminders": False})
    await request(mentee, mentor)
    await deliver(app)
    inbox.clear()

    sent = [*await after(days=7, minutes=1), *await after(days=5)]

    assert sent == []
    assert await Notification.filter(kind="REQUEST_REMINDER").count() == 0


# ---------------------------------------------------------------- unread-messages digests


@dataclass
class Conversation:
    relationship_id: str
    mentor: Person
    mentee: Person

    async def mentee_says(self, *bodies: str) -> None:
        for body in bodies:
            await act(
                self.mentee,
                "SendMessage",
                input={"relationshipId": self.relationship_id, "body": body},
            )

    async def mentor_reads(self) -> None:
        page = await act(self.mentor, "Conversation", relationshipId=self.relationship_id)
        cursor = page["relationship"]["messages"]["edges"][-1]["cursor"]
        await act(self.mentor, "MarkRead", relationshipId=self.relationship_id, upTo=cursor)


@pytest.fixture
async def conversation(
    app: Starlette, inbox: Inbox, mentor: Person, mentee: Person, clock: FakeClock
) -> Conversation:
    """An accepted request whose first message the mentor has read, and quiet e-mail."""
    talk = Conversation(await request(mentee, mentor), mentor, mentee)
    await act(mentor, "AcceptRequest", relationshipId=talk.relationship_id)
    await talk.mentor_reads()
    await sweep(app)
    await deliver(app)
    inbox.clear()
    clock.advance(minutes=10)
    return talk


async def test_a_digest_waits_30_minutes_after_the_first_unread_message(
    app: Starlette, conversation: Conversation, clock: FakeClock, after: After
) -> None:
    await conversation.mentee_says("First")
    clock.advance(minutes=10)
    await conversation.mentee_says("Second", "Third")

    at_29 = await after(minutes=19)
    at_31 = await after(minutes=2)
    later = await after(minutes=30)

    assert at_29 == []
    assert [str(mail.message["Subject"]) for mail in at_31] == [
        "You have 3 unread messages from Mika Mentee"
    ]
    assert later == []
    for word in ("First", "Second", "Third"):
        assert word not in at_31[0].text
        assert word not in at_31[0].html


async def test_no_digest_for_a_member_who_was_online_since_the_message(
    app: Starlette, conversation: Conversation, clock: FakeClock, after: After
) -> None:
    await conversation.mentee_says("Are you there?")
    clock.advance(minutes=5)
    await act(conversation.mentor, "Viewer")  # any request counts as online

    sent = await after(minutes=40)

    assert sent == []


async def test_an_open_live_socket_counts_as_online(
    app: Starlette, conversation: Conversation, clock: FakeClock, after: After
) -> None:
    await conversation.mentee_says("Are you there?")
    clock.advance(minutes=5)
    hub = app.state.services.hub
    mentor_id = key_of(conversation.mentor.user_id)

    async with hub.listen(user_channel(mentor_id)):
        await app.state.presence.flush()
    seen = await Presence.get(user_id=mentor_id)
    sent = await after(minutes=40)

    assert seen.seen_at == clock.now - timedelta(minutes=40)
    assert sent == []


async def test_digests_of_one_conversation_are_six_hours_apart(
    app: Starlette, conversation: Conversation, clock: FakeClock, after: After
) -> None:
    await conversation.mentee_says("One")
    first = await after(minutes=31)
    clock.advance(minutes=30)
    await conversation.mentee_says("Two", "Three")

    within = [*await after(hours=1), *await after(hours=3)]
    second = await after(hours=2)
    nothing_new = await after(hours=7)

    assert [str(mail.message["Subject"]) for mail in first] == [
        "You have 1 unread message from Mika Mentee"
    ]
    assert within == []
    assert [str(mail.message["Subject"]) for mail in second] == [
        "You have 3 unread messages from Mika Mentee"
    ]
    assert nothing_new == []


async def test_messages_read_before_the_digest_left_send_none(
    app: Starlette, conversation: Conversation, clock: FakeClock
) -> None:
    await conversation.mentee_says("Hello again")
    clock.advance(minutes=31)
    await sweep(app)  # the digest is queued

    await conversation.mentor_reads()
    report = await deliver(app)

    assert report["skipped"] == 1
    assert report["sent"] == 0


async def test_digests_switched_off_are_not_even_queued(
    app: Starlette, conversation: Conversation, clock: FakeClock, after: After
) -> None:
    await act(conversation.mentor, "UpdateNotificationSettings", input={"unreadMessages": False})
    clock.advance(minutes=1)
    await conversation.mentee_says("Hello")

    sent = await after(hours=1)

    assert sent == []
    assert await Notification.filter(kind="UNREAD_MESSAGES").count() == 0
