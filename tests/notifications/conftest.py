from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from app import Settings
from resolvers import settling
from resolvers.outbox_sender import OutboxSender, Report
from tests.clock import TOKENS_FOR_YEARS, FakeClock
from tests.notifications.smtp import Inbox, SmtpServer
from tests.support import NoRateLimits, settings_for

# The sender's loop and the sweeps wait this long: the tests run them when they choose.
BY_HAND = 3600.0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def smtp(inbox: Inbox) -> Iterator[SmtpServer]:
    server = SmtpServer(inbox)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock, smtp: SmtpServer) -> Settings:
    return mail_settings(tmp_path, clock, smtp_url=smtp.url)


def sender_of(app: Starlette) -> OutboxSender:
    sender: OutboxSender = app.state.outbox_sender
    return sender


async def deliver(app: Starlette) -> Report:
    """Run the app's sender over everything due now, as its task would."""
    return await sender_of(app).deliver_due()


def mail_settings(tmp_path: Path, clock: FakeClock, **overrides: Any) -> Settings:
    """Settings of an app whose e-mail goes where `overrides` say."""
    values: dict[str, Any] = {
        "clock": clock,
        "token_ttl": TOKENS_FOR_YEARS,
        "rate_limiter": NoRateLimits(),
        "public_url": "https://mentoring.example.org",
        "mail_from": "Alumni Mentoring <mentoring@example.org>",
        "outbox_interval": BY_HAND,
        "sweep_interval": BY_HAND,
        **overrides,
    }
    return settings_for(tmp_path, **values)


async def sweep(app: Starlette) -> None:
    """What the app's periodic sweep does: note who was online, settle, schedule."""
    await app.state.presence.flush()
    await settling.sweep(app.state.settings.clock)
