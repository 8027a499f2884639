"""Meeting reminders, 24 hours ahead, through the real SMTP server, in moved time.

Marta (mentor) lives in Berlin, Mika (mentee) set no time zone: each reads
the meeting's time in their own zone and language. The sweep schedules the
reminders with the app's clock; the tests move it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from starlette.applications import Starlette

from orm.models import Meeting, Notification
from resolvers.outbox_sender import OutboxSender
from tests.clock import FakeClock
from tests.notifications.conftest import deliver, sender_of, sweep
from tests.notifications.mail import PUBLIC_URL, assert_proper
from tests.notifications.smtp import Inbox, Received
from tests.people import Person, act, new_mentee, new_mentor, reach
from tests.support import Client, key_of
from tests.working_together.helpers import confirm, propose_meeting

MENTOR_EMAIL, MENTEE_EMAIL = "mentor@example.org", "mentee@example.org"
AGENDA = "Interview practice"  # what they wrote: never in an e-mail
# Thursday 5 March 2026, 14:00 UTC: 15:00 in Berlin (CET); the clock starts on Monday.
STARTS = datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
ISO = "2026-03-05T14:00:00Z"

EXPECTED = {
    "EN": {
        MENTOR_EMAIL: (
            "Reminder: your meeting with Mika Mentee on Thursday, March 5, 2026",
            "on Thursday, March 5, 2026 at 3:00\u202fPM (Europe/Berlin), for 60 minutes,"
            " by video call.",
        ),
        MENTEE_EMAIL: (
            "Reminder: your meeting with Marta Mentor on Thursday, March 5, 2026",
            "on Thursday, March 5, 2026 at 2:00\u202fPM (UTC), for 60 minutes, by video call.",
        ),
    },
    "DE": {
        MENTOR_EMAIL: (
            "Erinnerung: Ihr Termin mit Mika Mentee am Donnerstag, 5. März 2026",
            "am Donnerstag, 5. März 2026 um 15:00 Uhr (Europe/Berlin), für 60 Minuten,"
            " per Videoanruf.",
        ),
        MENTEE_EMAIL: (
            "Erinnerung: Ihr Termin mit Marta Mentor am Donnerstag, 5. März 2026",
            "am Donnerstag, 5. März 2026 um 14:00 Uhr (UTC), für 60 Minuten, per Videoanruf.",
        ),
    },
}


@dataclass
class Together:
    mentor: Person
    mentee: Person
    relationship_id: str
    locale: str


@pytest.fixture(params=["EN", "DE"])
async def together(
    request: pytest.FixtureRequest, app: Starlette, anon: Client, inbox: Inbox, clock: FakeClock
) -> Together:
    """An ACTIVE relationship in the parameter's language, its e-mails so far delivered."""
    locale: str = request.param
    mentor = await new_mentor(anon, MENTOR_EMAIL, "Marta Mentor", timezone="Europe/Berlin")
    mentee = await new_mentee(anon, MENTEE_EMAIL, "Mika Mentee")
    for person in (mentor, mentee):
        await act(person, "UpdateAccount", input={"locale": locale})
    relationship_id = await reach("ACTIVE", mentor, mentee, clock)
    await deliver(app)
    inbox.clear()
    return Together(mentor, mentee, relationship_id, locale)


async def confirmed_meeting(pair: Together, clock: FakeClock, starts_at: str = ISO) -> str:
    meeting = await propose_meeting(pair.mentee, pair.relationship_id, clock, startsAt=starts_at)
    await confirm(pair.mentor, meeting["id"])
    meeting_id: str = meeting["id"]
    return meeting_id


async def at(app: Starlette, inbox: Inbox, clock: FakeClock, moment: datetime) -> list[Received]:
    """Set the clock to `moment`, sweep and deliver: the e-mails that went."""
    clock.now = moment
    await sweep(app)
    before = len(inbox.received)
    await deliver(app)
    return inbox.received[before:]


def recipients(mails: list[Received]) -> list[str]:
    return sorted(address for mail in mails for address in mail.recipients)


async def test_both_hear_24_hours_ahead_in_their_language_and_time_zone(
    app: Starlette, inbox: Inbox, clock: FakeClock, together: Together
) -> None:
    await confirmed_meeting(together, clock)

    early = await at(app, inbox, clock, STARTS - timedelta(hours=24, minutes=1))
    due = await at(app, inbox, clock, STARTS - timedelta(hours=23, minutes=59))
    later = await at(app, inbox, clock, STARTS - timedelta(hours=2))

    assert (early, later) == ([], [])
    assert recipients(due) == [MENTEE_EMAIL, MENTOR_EMAIL]
    for mail in due:
        (email,) = mail.recipients
        subject, sentence = EXPECTED[together.locale][email]
        name = "Marta Mentor" if email == MENTOR_EMAIL else "Mika Mentee"
        assert_proper(mail, to=email, name=name, locale=together.locale)
        assert mail.message["Subject"] == subject
        assert sentence in mail.text
        assert subject.split(" on ")[-1].split(" am ")[-1] in mail.html
        assert "https://meet.example.org/marta-mika" in mail.text
        assert f"{PUBLIC_URL}/relationships/{together.relationship_id}" in mail.text
        for part in (mail.text, mail.html):
            assert AGENDA not in part


async def test_a_meeting_cancelled_before_its_reminder_went_reminds_nobody(
    app: Starlette, inbox: Inbox, clock: FakeClock, together: Together
) -> None:
    meeting_id = await confirmed_meeting(together, clock)
    clock.now = STARTS - timedelta(hours=20)
    await sweep(app)  # both reminders are queued

    await act(together.mentee, "CancelMeeting", id=meeting_id, reason="Ill")
    report = await deliver(app)
    afterwards = await at(app, inbox, clock, STARTS - timedelta(hours=10))

    assert (report["skipped"], report["sent"]) == (2, 0)
    assert afterwards == []


async def test_a_meeting_cancelled_early_is_never_queued_and_its_replacement_is_reminded(
    app: Starlette, inbox: Inbox, clock: FakeClock, together: Together
) -> None:
    first = await confirmed_meeting(together, clock)
    await act(together.mentor, "CancelMeeting", id=first)
    await confirmed_meeting(together, clock, starts_at="2026-03-06T14:00:00Z")

    on_the_old_day = await at(app, inbox, clock, STARTS - timedelta(hours=23))
    on_the_new_day = await at(app, inbox, clock, STARTS + timedelta(hours=1))

    assert on_the_old_day == []
    assert recipients(on_the_new_day) == [MENTEE_EMAIL, MENTOR_EMAIL]
    assert "6" in str(on_the_new_day[0].message["Subject"])


async def test_a_meeting_moved_after_its_reminder_was_queued_is_reminded_of_its_new_time(
    app: Starlette, inbox: Inbox, clock: FakeClock, together: Together
) -> None:
    meeting_id = await confirmed_meeting(together, clock)
    clock.now = STARTS - timedelta(hours=20)
    await sweep(app)  # reminders of 14:00 are queued
    # A meeting moved two hours on (its row's start, as a move writes it).
    await Meeting.filter(id=key_of(meeting_id)).update(
        starts_at=STARTS + timedelta(hours=2), ends_at=STARTS + timedelta(hours=3)
    )

    now = await at(app, inbox, clock, STARTS - timedelta(hours=19))

    rows = await Notification.filter(kind="MEETING_REMINDER").order_by("id")
    assert [row.status.value for row in rows] == ["SKIPPED"] * 2 + ["SENT"] * 2
    assert {row.last_error for row in rows[:2]} == {"meeting moved"}
    assert recipients(now) == [MENTEE_EMAIL, MENTOR_EMAIL]
    in_berlin = {"EN": "at 5:00\u202fPM (Europe/Berlin)", "DE": "um 17:00 Uhr (Europe/Berlin)"}
    (to_mentor,) = [mail for mail in now if mail.recipients == [MENTOR_EMAIL]]
    assert in_berlin[together.locale] in to_mentor.text


async def test_overlapping_sweeps_and_two_senders_send_each_reminder_once(
    app: Starlette, inbox: Inbox, clock: FakeClock, together: Together
) -> None:
    await confirmed_meeting(together, clock)
    clock.now = STARTS - timedelta(hours=23)
    second = sender_of(app)
    other = OutboxSender(second.transport, second.letters, clock)

    await asyncio.gather(sweep(app), sweep(app), sweep(app))
    reports = await asyncio.gather(deliver(app), other.deliver_due())
    await asyncio.gather(sweep(app), sweep(app))
    await asyncio.gather(deliver(app), other.deliver_due())

    assert sum(report["sent"] for report in reports) == 2
    assert recipients(inbox.received) == [MENTEE_EMAIL, MENTOR_EMAIL]
    assert await Notification.filter(kind="MEETING_REMINDER").count() == 2


async def test_a_member_who_switched_meeting_reminders_off_gets_none(
    app: Starlette, inbox: Inbox, clock: FakeClock, together: Together
) -> None:
    await act(together.mentor, "UpdateNotificationSettings", input={"meetingReminders": False})
    await confirmed_meeting(together, clock)

    due = await at(app, inbox, clock, STARTS - timedelta(hours=23))

    assert recipients(due) == [MENTEE_EMAIL]
