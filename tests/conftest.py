from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from app import Settings, create_app
from tests.postgres import scratch_database
from tests.support import Client, NoRateLimits, running, settings_for

_emails = itertools.count(1)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Most tests register and sign in far more often than people do; the
    # rate-limit tests build their apps with a real limiter of their own.
    return settings_for(tmp_path, rate_limiter=NoRateLimits())


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    async with running(create_app(settings)) as started:
        yield started


@pytest.fixture
async def anon(app: Starlette) -> AsyncIterator[Client]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield Client(http=http)


@pytest.fixture
def new_email() -> str:
    return f"person{next(_emails)}@example.org"


@pytest.fixture
async def user(anon: Client, new_email: str) -> Client:
    return await anon.register(new_email, "Uma User")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.services)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database on either engine, for tests that migrate it themselves.

    SQLite's file lies in a `data` folder that exists, as the service's does:
    the keys of a migrate command go beside it, and Tortoise's init waits
    forever on a file in a folder that does not exist.
    """
    if request.param == "sqlite":
        folder = tmp_path / "data"
        folder.mkdir()
        yield f"sqlite://{folder / 'upgrade.sqlite3'}"
        return
    async with scratch_database() as url:
        yield url
