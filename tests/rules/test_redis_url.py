"""Whether BROADCAST_URL names Redis: one answer for pub/sub, rate limits and readiness.

The settings accept a scheme in any case; so do the three that ask.
"""

from __future__ import annotations

import os

import pytest
from tortoise.context import TortoiseContext

from orm.health import problems
from orm.rules.redis_url import is_redis
from resolvers.ratelimit import MemoryRateLimiter, rate_limiter_for
from resolvers.ratelimit_redis import RedisRateLimiter

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.mark.parametrize(
    ("url", "redis"),
    [
        ("redis://127.0.0.1:6379/0", True),
        ("rediss://cache.example.org:6380/0", True),
        ("REDIS://127.0.0.1:6379/0", True),
        ("Rediss://cache.example.org", True),
        ("memory://", False),
        ("MEMORY://", False),
        ("redis-cluster://127.0.0.1", False),
        ("postgres://redis://", False),
    ],
)
async def test_the_scheme_decides_in_any_case(url: str, redis: bool) -> None:
    assert is_redis(url) is redis
    limiter = rate_limiter_for(url)
    try:
        assert isinstance(limiter, RedisRateLimiter if redis else MemoryRateLimiter)
    finally:
        await limiter.close()


@pytest.mark.services
@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "url", [REDIS_URL, REDIS_URL.replace("redis://", "REDIS://", 1), "memory://", "MEMORY://"]
)
async def test_readiness_reaches_the_broadcast_the_url_names(db: TortoiseContext, url: str) -> None:
    assert await problems(url) == []
