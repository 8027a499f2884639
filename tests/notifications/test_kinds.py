"""Each kind of e-mail, end to end through a real SMTP server, in German and in English.

A change over the API (or time, through the sweep) queues the e-mail; the
app's sender delivers it to the in-process SMTP server; the test reads the
MIME that arrived: who it is for, its language, both parts, its links, and
that nothing anyone wrote (the request message, chat messages, the decline
reason, contact links) is in it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from starlette.applications import Starlette

from resolvers import settling
from tests.clock import FakeClock
from tests.notifications.conftest import deliver
from tests.notifications.mail import PUBLIC_URL, assert_proper
from tests.notifications.smtp import Inbox, Received
from tests.people import (
    MENTEE_PROFILE,
    MENTOR_PROFILE,
    MESSAGE,
    Person,
    act,
    new_mentee,
    new_mentor,
    propose,
    request,
)
from tests.support import Client

MENTOR_EMAIL, MENTEE_EMAIL = "mentor@example.org", "mentee@example.org"
MENTOR_NAME, MENTEE_NAME = "Marta Mentor", "Mika Mentee"
REASON = "My calendar is full until summer, sorry about that."
CHAT = ("Could we meet on Thursday at the library?", "Here is my CV draft, version 3.")
# What people wrote or shared: never in an e-mail.
PRIVATE = (
    MESSAGE,
    REASON,
    *CHAT,
    MENTOR_PROFILE["contactLinks"][0]["value"],
    MENTEE_PROFILE["contactLinks"][0]["value"],
)

SUBJECTS = {
    "EN": {
        "request_received": f"{MENTEE_NAME} asks you to be their mentor",
        "request_accepted": f"{MENTOR_NAME} accepted your request",
        "request_declined": f"Your request to {MENTOR_NAME}",
        "request_expired": f"Your request to {MENTOR_NAME} has expired",
        "reminder_7": f"Reminder: {MENTEE_NAME} is waiting for your answer",
        "agreement_proposed": f"{MENTEE_NAME} proposed terms for your mentoring",
        "unread_messages": f"You have 2 unread messages from {MENTEE_NAME}",
    },
    "DE": {
        "request_received": f"{MENTEE_NAME} bittet Sie um ein Mentoring",
        "request_accepted": f"{MENTOR_NAME} hat Ihre Anfrage angenommen",
        "request_declined": f"Ihre Anfrage an {MENTOR_NAME}",
        "request_expired": f"Ihre Anfrage an {MENTOR_NAME} ist abgelaufen",
        "reminder_7": f"Erinnerung: {MENTEE_NAME} wartet auf Ihre Antwort",
        "agreement_proposed": f"{MENTEE_NAME} hat eine Vereinbarung vorgeschlagen",
        "unread_messages": f"Sie haben 2 ungelesene Nachrichten von {MENTEE_NAME}",
    },
}


@dataclass
class Pair:
    mentor: Person
    mentee: Person
    locale: str


@pytest.fixture(params=["EN", "DE"])
async def pair(request: pytest.FixtureRequest, anon: Client) -> Pair:
    locale: str = request.param
    mentor = await new_mentor(anon, MENTOR_EMAIL, MENTOR_NAME)
    mentee = await new_mentee(anon, MENTEE_EMAIL, MENTEE_NAME)
    for person in (mentor, mentee):
        await act(person, "UpdateAccount", input={"locale": locale})
    return Pair(mentor, mentee, locale)


async def only_mail(app: Starlette, inbox: Inbox, to: str) -> Received:
    report = await deliver(app)
    assert report["sent"] >= 1, report
    received = inbox.to(to)
    assert len(received) == 1, [mail.message["Subject"] for mail in received]
    return received[0]


def assert_names_nothing_written(mail: Received) -> None:
    for part in (mail.text, mail.html, str(mail.message["Subject"])):
        for private in PRIVATE:
            assert private not in part


def check(mail: Received, pair: Pair, kind: str, *, to: Person, link: str) -> None:
    name = MENTOR_NAME if to is pair.mentor else MENTEE_NAME
    email = MENTOR_EMAIL if to is pair.mentor else MENTEE_EMAIL
    assert_proper(mail, to=email, name=name, locale=pair.locale)
    assert mail.message["Subject"] == SUBJECTS[pair.locale][kind]
    assert link in mail.text
    assert f'href="{link}"' in mail.html
    assert_names_nothing_written(mail)


async def test_a_request_tells_the_mentor(app: Starlette, inbox: Inbox, pair: Pair) -> None:
    relationship_id = await request(pair.mentee, pair.mentor)

    mail = await only_mail(app, inbox, MENTOR_EMAIL)

    link = f"{PUBLIC_URL}/relationships/{relationship_id}"
    check(mail, pair, "request_received", to=pair.mentor, link=link)
    assert inbox.to(MENTEE_EMAIL) == []


async def test_an_accepted_request_tells_the_mentee(
    app: Starlette, inbox: Inbox, pair: Pair
) -> None:
    relationship_id = await request(pair.mentee, pair.mentor)
    await deliver(app)
    inbox.clear()

    await act(pair.mentor, "AcceptRequest", relationshipId=relationship_id)

    mail = await only_mail(app, inbox, MENTEE_EMAIL)
    link = f"{PUBLIC_URL}/relationships/{relationship_id}"
    check(mail, pair, "request_accepted", to=pair.mentee, link=link)
    assert inbox.to(MENTOR_EMAIL) == []


async def test_a_declined_request_tells_the_mentee_without_the_reason(
    app: Starlette, inbox: Inbox, pair: Pair
) -> None:
    relationship_id = await request(pair.mentee, pair.mentor)
    await deliver(app)
    inbox.clear()

    await act(pair.mentor, "DeclineRequest", relationshipId=relationship_id, reason=REASON)

    mail = await only_mail(app, inbox, MENTEE_EMAIL)
    check(mail, pair, "request_declined", to=pair.mentee, link=f"{PUBLIC_URL}/mentors")


async def test_an_expired_request_tells_the_mentee(
    app: Starlette, inbox: Inbox, pair: Pair, clock: FakeClock
) -> None:
    await request(pair.mentee, pair.mentor)
    await deliver(app)
    inbox.clear()

    clock.advance(days=14, minutes=1)
    await settling.sweep(clock)

    mail = await only_mail(app, inbox, MENTEE_EMAIL)
    check(mail, pair, "request_expired", to=pair.mentee, link=f"{PUBLIC_URL}/mentors")
    assert inbox.to(MENTOR_EMAIL) == []


async def test_an_unanswered_request_reminds_the_mentor(
    app: Starlette, inbox: Inbox, pair: Pair, clock: FakeClock
) -> None:
    relationship_id = await request(pair.mentee, pair.mentor)
    await deliver(app)
    inbox.clear()

    clock.advance(days=7, minutes=1)
    await settling.sweep(clock)

    mail = await only_mail(app, inbox, MENTOR_EMAIL)
    link = f"{PUBLIC_URL}/relationships/{relationship_id}"
    check(mail, pair, "reminder_7", to=pair.mentor, link=link)
    assert ("7 days ago" if pair.locale == "EN" else "vor 7 Tagen") in mail.text
    assert ("expires in 7 days" if pair.locale == "EN" else "In 7 Tagen verfällt") in mail.text


async def test_proposed_terms_tell_the_partner(
    app: Starlette, inbox: Inbox, pair: Pair, clock: FakeClock
) -> None:
    relationship_id = await request(pair.mentee, pair.mentor)
    await act(pair.mentor, "AcceptRequest", relationshipId=relationship_id)
    await deliver(app)
    inbox.clear()

    await propose(pair.mentee, relationship_id, clock)

    mail = await only_mail(app, inbox, MENTOR_EMAIL)
    link = f"{PUBLIC_URL}/relationships/{relationship_id}"
    check(mail, pair, "agreement_proposed", to=pair.mentor, link=link)
    assert inbox.to(MENTEE_EMAIL) == []


async def test_unread_messages_send_one_digest_naming_a_count_and_a_sender(
    app: Starlette, inbox: Inbox, pair: Pair, clock: FakeClock
) -> None:
    relationship_id = await request(pair.mentee, pair.mentor)
    await act(pair.mentor, "AcceptRequest", relationshipId=relationship_id)
    page = await act(pair.mentor, "Conversation", relationshipId=relationship_id)
    cursor = page["relationship"]["messages"]["edges"][-1]["cursor"]
    await act(pair.mentor, "MarkRead", relationshipId=relationship_id, upTo=cursor)
    await app.state.presence.flush()
    await deliver(app)
    inbox.clear()
    clock.advance(minutes=1)
    for body in CHAT:
        await act(
            pair.mentee, "SendMessage", input={"relationshipId": relationship_id, "body": body}
        )

    clock.advance(minutes=31)
    await settling.sweep(clock)

    mail = await only_mail(app, inbox, MENTOR_EMAIL)
    link = f"{PUBLIC_URL}/relationships/{relationship_id}"
    check(mail, pair, "unread_messages", to=pair.mentor, link=link)
