"""One-click unsubscribe from an e-mail's own link: no sign-in, no cookie, only its kind.

The links come from e-mails that arrived at the test SMTP server.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from starlette.applications import Starlette

from orm.models import User
from tests.clock import FakeClock
from tests.notifications.conftest import deliver
from tests.notifications.mail import unsubscribe_url
from tests.notifications.smtp import Inbox
from tests.notifications.test_notification_settings import ALL_ON
from tests.people import Person, act, new_mentee, new_mentor, request
from tests.support import Client, key_of

MENTOR_EMAIL = "mentor@example.org"
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
async def mentor(anon: Client) -> Person:
    return await new_mentor(anon, MENTOR_EMAIL, "Marta Mentor")


@pytest.fixture
async def link(app: Starlette, inbox: Inbox, anon: Client, mentor: Person) -> str:
    """The path and query of the unsubscribe link in the mentor's request e-mail."""
    await request(await new_mentee(anon, "mentee@example.org", "Mika Mentee"), mentor)
    await deliver(app)
    (mail,) = inbox.to(MENTOR_EMAIL)
    parts = urlsplit(unsubscribe_url(mail))
    return f"{parts.path}?{parts.query}"


async def switches(person: Person) -> dict[str, bool]:
    viewer = (await person.client.op("NotificationSettings")).data["viewer"]
    found: dict[str, bool] = viewer["notificationSettings"]
    return found


async def test_the_link_shows_a_page_that_asks_before_changing_anything(
    anon: Client, mentor: Person, link: str
) -> None:
    page = await anon.http.get(link)

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "form-action 'self'" in page.headers["content-security-policy"]
    assert "script-src" not in page.headers["content-security-policy"]
    assert '<form method="post"' in page.text
    assert "new mentoring requests" in page.text
    assert MENTOR_EMAIL in page.text
    assert await switches(mentor) == ALL_ON


async def test_one_click_post_without_cookie_or_token_switches_that_kind_off(
    app: Starlette, anon: Client, inbox: Inbox, mentor: Person, link: str
) -> None:
    assert "authorization" not in anon.http.headers
    assert not anon.http.cookies

    done = await anon.http.post(link, data=ONE_CLICK)
    await request(await new_mentee(anon, "second@example.org", "Sam Second"), mentor)
    report = await deliver(app)

    assert done.status_code == 200
    assert "Done" in done.text
    assert await switches(mentor) == ALL_ON | {"requestReceived": False}
    assert report["skipped"] == 1
    assert len(inbox.to(MENTOR_EMAIL)) == 1  # the first request's e-mail only


async def test_the_page_speaks_the_members_language(
    anon: Client, mentor: Person, link: str
) -> None:
    await act(mentor, "UpdateAccount", input={"locale": "DE"})

    asked = await anon.http.get(link)
    done = await anon.http.post(link, data=ONE_CLICK)

    assert '<html lang="de">' in asked.text
    assert "Keine E-Mails mehr über neue Mentoring-Anfragen?" in asked.text
    assert "Erledigt" in done.text


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_tampered_link_is_refused_and_changes_nothing(
    anon: Client, mentor: Person, link: str, method: str
) -> None:
    path, _, query = link.partition("?")
    token = query.removeprefix("token=")
    header, payload, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    tampered = (f"{header}.{payload}.{flipped}", f"{header}.{payload[:-1]}.{signature}", "", "x")

    replies = [
        await anon.http.request(method, f"{path}?token={value}", data=ONE_CLICK)
        for value in tampered
    ]

    assert {reply.status_code for reply in replies} == {400}
    assert all("This link does not work" in reply.text for reply in replies)
    assert await switches(mentor) == ALL_ON


async def test_an_expired_link_is_refused(
    anon: Client, mentor: Person, link: str, clock: FakeClock
) -> None:
    clock.advance(days=61)

    reply = await anon.http.post(link, data=ONE_CLICK)

    assert reply.status_code == 400
    assert await switches(mentor) == ALL_ON


async def test_a_link_for_an_address_the_account_no_longer_has_is_refused(
    anon: Client, mentor: Person, link: str
) -> None:
    # The address the e-mail went to now belongs to someone else's inbox.
    await User.filter(id=key_of(mentor.user_id)).update(email="marta.new@example.org")

    reply = await anon.http.post(link, data=ONE_CLICK)

    assert reply.status_code == 400
    assert await switches(mentor) == ALL_ON


async def test_a_link_switches_off_only_its_own_members_kind(
    anon: Client, mentor: Person, link: str
) -> None:
    other = await anon.register("other@example.org", "Otto Other")

    await anon.http.post(link, data=ONE_CLICK)

    assert (await other.op("NotificationSettings")).data["viewer"]["notificationSettings"] == ALL_ON
    assert await switches(mentor) == ALL_ON | {"requestReceived": False}
