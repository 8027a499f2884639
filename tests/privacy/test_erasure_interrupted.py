"""An erasure whose process is killed half way: all of the account, or none of it.

The erasure runs in a process of its own, which kills itself (SIGKILL, as
the kernel's OOM killer or a pulled plug would) at one moment of it: inside
the transaction, or after its commit but before the member's key is
destroyed. The database and the key store are then read as they were left.
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from app import Settings, create_app
from orm.binding import bound
from orm.messages import body_of
from orm.models import Message, Relationship, User
from tests.clock import FakeClock
from tests.conversations import send
from tests.people import new_mentee, new_mentor, reach
from tests.support import (
    ROOT,
    TEST_SECRET_KEY,
    Client,
    NoRateLimits,
    key_of,
    running,
    settings_for,
)

SECRET = "Half-way-erasure secret 4471"

# Runs one erasure and kills itself where the test says (argv[1]).
SCRIPT = """
import asyncio, os, signal, sys
from app import Settings, create_app
from orm.binding import bound
from orm.member_keys import MessageKeys
from orm.models import User
from resolvers import erasure
from resolvers.lifecycle import Outbox

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

async def main(where):
    app = create_app(Settings.from_env())
    async with app.router.lifespan_context(app):
        services = app.state.services
        if where == "in-transaction":
            real = erasure.erasure_rows.erase_account
            async def erase_then_die(*args, **kwargs):
                await real(*args, **kwargs)
                die()
            erasure.erasure_rows.erase_account = erase_then_die
        else:
            MessageKeys.destroy = die
        with bound(app.state.tortoise):
            user = await User.get(email="leaver@example.org")
            await erasure.delete_account(
                user, "correct horse", passwords=services.passwords,
                limiter=services.rate_limiter, keys=services.message_keys, hub=services.hub,
                client_address="127.0.0.1", now=services.clock(), outbox=Outbox(),
            )
    sys.exit("the erasure was not interrupted")

asyncio.run(main(sys.argv[1]))
"""


async def _prepare(settings: Settings) -> tuple[int, int]:
    """A member in an ACTIVE relationship who wrote a message: their user and its id."""
    app = create_app(settings)
    async with running(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            anon = Client(http=http)
            mentor = await new_mentor(anon, "stayer@example.org", "Stan Stayer")
            leaver = await new_mentee(anon, "leaver@example.org", "Lea Leaver")
            assert isinstance(settings.clock, FakeClock)
            chat = await reach("ACTIVE", mentor, leaver, settings.clock)
            message = await send(leaver, chat, SECRET)
    return key_of(leaver.user_id), key_of(message["id"])


async def _erase_and_die(settings: Settings, where: str) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": TEST_SECRET_KEY,
        "KEY_STORE_URL": settings.key_store_url or "",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", SCRIPT, where, env=env, cwd=ROOT, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await process.communicate()
    assert process.returncode == -9, stderr.decode()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Today, as the erasing process's own clock reads it.
    clock = FakeClock(now=datetime.now(UTC))
    return settings_for(tmp_path, rate_limiter=NoRateLimits(), clock=clock)


async def test_killed_inside_the_transaction_the_whole_account_stays(settings: Settings) -> None:
    user_id, message_id = await _prepare(settings)

    await _erase_and_die(settings, "in-transaction")

    app = create_app(settings)
    async with running(app):
        with bound(app.state.tortoise):
            user = await User.get(id=user_id)
            statuses = [row.status for row in await Relationship.all()]
            message = await Message.get(id=message_id)
            keys = app.state.services.message_keys
            assert (user.email, user.display_name, user.erased_at) == (
                "leaver@example.org",
                "Lea Leaver",
                None,
            )
            assert statuses == ["ACTIVE"]
            assert keys.has_key(user_id)
            assert body_of(message, keys) == SECRET


async def test_killed_after_the_commit_the_next_start_destroys_the_key(settings: Settings) -> None:
    user_id, _ = await _prepare(settings)

    await _erase_and_die(settings, "after-commit")

    app = create_app(settings)
    async with running(app):
        with bound(app.state.tortoise):
            user = await User.get(id=user_id)
            statuses = [row.status for row in await Relationship.all()]
        keys = app.state.services.message_keys
        assert user.erased_at is not None
        assert user.display_name == "Deleted member"
        assert statuses == ["ENDED"]
        assert not keys.has_key(user_id)
