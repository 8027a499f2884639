"""Scale-out tests: real processes on a private PostgreSQL database and a private Redis.

They skip without PostgreSQL or `redis-server`, and fail instead when
REQUIRE_SERVICES=1.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.postgres import scratch_database
from tests.scaleout.services import PrivateRedis, private_redis


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    # Already migrated: how processes starting together migrate an empty
    # database is tests/scaleout/test_migrations.py's subject.
    async with scratch_database(migrated=True) as url:
        yield url


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    with private_redis(tmp_path) as running:
        yield running
