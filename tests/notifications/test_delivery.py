"""Delivery through a real SMTP server: TLS, refusals, outages, leases, and what is not sent."""

from __future__ import annotations

import asyncio
import logging
import stat
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from tortoise.transactions import in_transaction

from app import create_app
from orm import outbox
from orm.models import Notification, User
from orm.vocabulary import NotificationKind
from resolvers.outbox_sender import LEASE, MAX_ATTEMPTS, retry_delay
from tests.clock import FakeClock
from tests.notifications.certificates import issue
from tests.notifications.conftest import deliver, mail_settings
from tests.notifications.smtp import Inbox, SmtpServer
from tests.people import Person, act, new_mentee, new_mentor, request
from tests.support import Client, key_of, running
from tests.test_cli import run_cli

MENTOR_EMAIL = "mentor@example.org"


@pytest.fixture
async def mentor(anon: Client) -> Person:
    return await new_mentor(anon, MENTOR_EMAIL, "Marta Mentor")


@pytest.fixture
async def mentee(anon: Client) -> Person:
    return await new_mentee(anon, "mentee@example.org", "Mika Mentee")


async def statuses() -> list[str]:
    return [row.status.value for row in await Notification.all().order_by("id")]


async def test_starttls_to_a_server_with_a_certificate_of_a_private_authority(
    tmp_path: Path, clock: FakeClock
) -> None:
    issued = issue(tmp_path)
    inbox = Inbox()
    server = SmtpServer(inbox, tls_context=issued.server)
    server.start()
    try:
        url = f"smtp://127.0.0.1:{server.port}?starttls=true&cafile={issued.ca_file}"
        async with running(create_app(mail_settings(tmp_path, clock, smtp_url=url))) as app:
            anon = Client(http=_http(app))
            mentor = await new_mentor(anon, MENTOR_EMAIL, "Marta Mentor")
            mentee = await new_mentee(anon, "mentee@example.org", "Mika Mentee")
            await request(mentee, mentor)

            report = await deliver(app)

            await anon.http.aclose()
    finally:
        server.stop()
    # The server refuses mail before STARTTLS: what arrived came over TLS.
    assert report["sent"] == 1
    assert len(inbox.to(MENTOR_EMAIL)) == 1


async def test_a_certificate_the_sender_cannot_verify_is_a_temporary_failure(
    tmp_path: Path, clock: FakeClock
) -> None:
    issued = issue(tmp_path)
    inbox = Inbox()
    server = SmtpServer(inbox, tls_context=issued.server)
    server.start()
    try:
        url = f"smtp://127.0.0.1:{server.port}?starttls=true"  # the test CA is not trusted
        async with running(create_app(mail_settings(tmp_path, clock, smtp_url=url))) as app:
            anon = Client(http=_http(app))
            await request(
                await new_mentee(anon, "mentee@example.org", "Mika Mentee"),
                await new_mentor(anon, MENTOR_EMAIL, "Marta Mentor"),
            )

            report = await deliver(app)
            states = await statuses()
            await anon.http.aclose()
    finally:
        server.stop()
    assert (report["sent"], report["retried"]) == (0, 1)
    assert states == ["PENDING"]
    assert inbox.received == []


def _http(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_a_recipient_refused_for_good_is_failed_once_and_logged_once(
    app: Starlette,
    inbox: Inbox,
    mentor: Person,
    mentee: Person,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    inbox.refused.add(MENTOR_EMAIL)
    relationship_id = await request(mentee, mentor)

    with caplog.at_level(logging.WARNING, logger="mentoring.outbox"):
        first = await deliver(app)
        clock.advance(hours=3)
        later = await deliver(app)
    await act(mentor, "AcceptRequest", relationshipId=relationship_id)
    other = await deliver(app)

    assert first["failed"] == 1
    assert later.counts == {}
    refused = [r for r in caplog.records if "refused for good" in r.getMessage()]
    assert len(refused) == 1
    assert "550" in refused[0].getMessage()
    assert MENTOR_EMAIL not in refused[0].getMessage()  # the log names rows, not people
    assert await statuses() == ["FAILED", "SENT"]
    assert other["sent"] == 1
    assert inbox.to(MENTOR_EMAIL) == []


async def test_a_server_that_is_down_is_retried_later_and_delivered_once_back(
    app: Starlette,
    smtp: SmtpServer,
    inbox: Inbox,
    mentor: Person,
    mentee: Person,
    clock: FakeClock,
) -> None:
    smtp.stop()
    await request(mentee, mentor)

    first = await deliver(app)
    too_soon = await deliver(app)
    clock.advance(seconds=retry_delay(1).total_seconds() + 1)
    second = await deliver(app)
    row = await Notification.get()
    smtp.start()
    clock.advance(seconds=retry_delay(2).total_seconds() + 1)
    third = await deliver(app)
    fourth = await deliver(app)

    assert (first["retried"], too_soon.counts, second["retried"]) == (1, {}, 1)
    assert row.attempts == 2
    assert row.due_at == clock.now - timedelta(seconds=1)
    assert "ConnectionRefused" in (row.last_error or "") or "connect" in (row.last_error or "")
    assert (third["sent"], fourth.counts) == (1, {})
    assert len(inbox.to(MENTOR_EMAIL)) == 1
    assert await statuses() == ["SENT"]


async def test_temporary_failures_end_dead_after_the_last_attempt(
    app: Starlette,
    smtp: SmtpServer,
    mentor: Person,
    mentee: Person,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    smtp.stop()
    await request(mentee, mentor)

    with caplog.at_level(logging.ERROR, logger="mentoring.outbox"):
        for _ in range(MAX_ATTEMPTS + 2):
            await deliver(app)
            clock.advance(hours=2)

    assert await statuses() == ["DEAD"]
    assert (await Notification.get()).attempts == MAX_ATTEMPTS
    assert len([r for r in caplog.records if "given up" in r.getMessage()]) == 1
    database = Path(app.state.settings.database_url.removeprefix("sqlite://"))
    listed = run_cli("outbox", "--failed", cwd=tmp_path, database=database)
    queued = run_cli("outbox", cwd=tmp_path, database=database)
    assert "1 failed or dead e-mails" in listed
    assert f"DEAD\tREQUEST_RECEIVED\t{MENTOR_EMAIL}\tattempts={MAX_ATTEMPTS}" in listed
    assert "0 queued e-mails" in queued


async def test_the_operator_lists_what_is_queued(
    app: Starlette, smtp: SmtpServer, mentor: Person, mentee: Person, tmp_path: Path
) -> None:
    smtp.stop()
    await request(mentee, mentor)
    await deliver(app)

    database = Path(app.state.settings.database_url.removeprefix("sqlite://"))
    queued = run_cli("outbox", cwd=tmp_path, database=database)

    assert "1 queued e-mails" in queued
    assert f"PENDING\tREQUEST_RECEIVED\t{MENTOR_EMAIL}\tattempts=1" in queued


async def test_a_kind_switched_off_after_queueing_is_not_sent(
    app: Starlette, inbox: Inbox, mentor: Person, mentee: Person, anon: Client
) -> None:
    await request(mentee, mentor)
    await act(mentor, "UpdateNotificationSettings", input={"requestReceived": False})

    report = await deliver(app)
    await act(mentor, "UpdateNotificationSettings", input={"requestReceived": True})
    await request(await new_mentee(anon, "second@example.org", "Sam Second"), mentor)
    again = await deliver(app)

    assert (report["skipped"], report["sent"]) == (1, 0)
    assert again["sent"] == 1
    assert len(inbox.to(MENTOR_EMAIL)) == 1
    first = await Notification.all().order_by("id").first()
    assert first is not None
    assert first.last_error == "switched off"


async def test_an_answer_before_the_email_leaves_stops_the_request_email(
    app: Starlette, inbox: Inbox, mentor: Person, mentee: Person
) -> None:
    relationship_id = await request(mentee, mentor)
    await act(mentee, "WithdrawRequest", relationshipId=relationship_id)

    report = await deliver(app)

    assert (report["skipped"], report["sent"]) == (1, 0)
    assert inbox.received == []


async def test_a_member_who_left_gets_nothing_even_if_queued_before(
    app: Starlette, inbox: Inbox, mentor: Person, mentee: Person
) -> None:
    await request(mentee, mentor)
    claimed = await outbox.claim(
        app.state.settings.clock(),
        until=app.state.settings.clock() + timedelta(seconds=1),
        token="x" * 32,
        limit=10,
    )
    # Left after a sender claimed the e-mail, before it read it.
    await User.filter(email=MENTOR_EMAIL).delete()

    assert await outbox.outgoing(claimed, "x" * 32) == []
    assert (await deliver(app)).counts == {}
    assert inbox.received == []
    assert await Notification.all().count() == 0


async def test_a_crashed_senders_claim_is_taken_over_once_its_lease_ran_out(
    app: Starlette, inbox: Inbox, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    await request(mentee, mentor)
    # A sender claims the e-mail and dies before sending it.
    await outbox.claim(clock(), until=clock() + LEASE, token="d" * 32, limit=10)

    while_held = await deliver(app)
    clock.advance(seconds=LEASE.total_seconds())
    taken_over = await deliver(app)

    assert while_held.counts == {}
    assert taken_over["sent"] == 1
    assert len(inbox.to(MENTOR_EMAIL)) == 1
    assert await statuses() == ["SENT"]


async def test_a_rolled_back_change_leaves_no_email(app: Starlette, mentor: Person) -> None:
    async def change_that_fails() -> None:
        async with in_transaction():
            user_id = key_of(mentor.user_id)
            await outbox.queue(NotificationKind.REQUEST_RECEIVED, user_id, None, FakeClock().now)
            raise RuntimeError("the change failed after queueing")

    with pytest.raises(RuntimeError):
        await change_that_fails()

    assert await Notification.all().count() == 0


async def test_the_sender_task_delivers_without_being_asked(
    tmp_path: Path, clock: FakeClock, smtp: SmtpServer, inbox: Inbox
) -> None:
    settings = mail_settings(tmp_path, clock, smtp_url=smtp.url, outbox_interval=0.05)
    async with running(create_app(settings)) as app:
        anon = Client(http=_http(app))
        await request(
            await new_mentee(anon, "mentee@example.org", "Mika Mentee"),
            await new_mentor(anon, MENTOR_EMAIL, "Marta Mentor"),
        )
        arrived = await asyncio.to_thread(inbox.arrived.wait, 20)
        await anon.http.aclose()

    assert arrived
    assert len(inbox.to(MENTOR_EMAIL)) == 1


async def test_without_smtp_url_each_email_is_an_eml_file_beside_the_database(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(create_app(mail_settings(tmp_path, clock))) as app:
        anon = Client(http=_http(app))
        await request(
            await new_mentee(anon, "mentee@example.org", "Mika Mentee"),
            await new_mentor(anon, MENTOR_EMAIL, "Marta Mentor"),
        )
        with caplog.at_level(logging.INFO, logger="mentoring.mail"):
            report = await deliver(app)
        await anon.http.aclose()

    folder = tmp_path / "data" / "outbox"
    (written,) = sorted(folder.glob("*.eml"))
    message = BytesParser(policy=policy.default).parsebytes(written.read_bytes())
    assert report["sent"] == 1
    assert message["To"].addresses[0].addr_spec == MENTOR_EMAIL
    assert message["Subject"] == "Mika Mentee asks you to be their mentor"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    lines = [r.getMessage() for r in caplog.records if str(written) in r.getMessage()]
    assert len(lines) == 1
