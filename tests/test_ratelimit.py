"""Rate limits: the limiter itself, then login and registration over HTTP."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from app import create_app
from orm.models import User
from resolvers.errors import RateLimited
from resolvers.ratelimit import POLICIES, MemoryRateLimiter, Policy, RateLimiter, rate_limiter_for
from resolvers.ratelimit_redis import RedisRateLimiter
from tests.servers import require
from tests.support import Client, running, settings_for

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def hits_until_refused(limiter: RateLimiter, policy: Policy, key: str) -> tuple[int, int]:
    """(hits that passed, retryAfter of the first refusal)."""
    for passed in range(policy.limit + 5):
        try:
            await limiter.hit(policy, key)
        except RateLimited as refusal:
            return passed, refusal.extensions["retryAfter"]
    raise AssertionError("never refused")


async def test_memory_limiter_refuses_past_the_limit_until_the_window_closes() -> None:
    clock = FakeClock()
    limiter = MemoryRateLimiter(clock=clock)
    policy = Policy("test", limit=3, window_seconds=60)

    assert await hits_until_refused(limiter, policy, "k") == (3, 60)
    clock.now += 59.2
    assert await hits_until_refused(limiter, policy, "k") == (0, 1)  # whole seconds, at least 1
    await limiter.hit(policy, "other key")  # keys are counted apart
    clock.now += 1
    assert await hits_until_refused(limiter, policy, "k") == (3, 60)


async def test_memory_limiter_drops_closed_windows() -> None:
    clock = FakeClock()
    limiter = MemoryRateLimiter(clock=clock)
    policy = Policy("test", limit=1, window_seconds=60)
    for index in range(1000):
        await limiter.hit(policy, f"address {index}")
    assert len(limiter) == 1000

    clock.now += 61
    await limiter.hit(policy, "one more")

    assert len(limiter) == 1


@pytest.fixture
async def redis_limiter() -> AsyncIterator[RedisRateLimiter]:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        reachable = bool(await client.ping())
    except (RedisError, OSError):
        reachable = False
    require(reachable, f"Redis at {REDIS_URL}")
    limiter = RedisRateLimiter(client)
    yield limiter
    await limiter.close()


@pytest.mark.services
async def test_redis_limiter_counts_concurrent_hits_exactly_once(
    redis_limiter: RedisRateLimiter,
) -> None:
    policy = Policy(f"test-{uuid.uuid4().hex}", limit=20, window_seconds=30)

    async def one() -> int:
        try:
            await redis_limiter.hit(policy, "shared key")
        except RateLimited as refusal:
            wait: int = refusal.extensions["retryAfter"]
            return wait
        return 0

    outcomes = await asyncio.gather(*(one() for _ in range(60)))

    assert outcomes.count(0) == 20
    assert all(1 <= wait <= 30 for wait in outcomes if wait)
    await redis_limiter.hit(policy, "another key")


@pytest.mark.services
async def test_redis_windows_expire_by_themselves(redis_limiter: RedisRateLimiter) -> None:
    policy = Policy(f"test-{uuid.uuid4().hex}", limit=1, window_seconds=30)
    await redis_limiter.hit(policy, "k")

    client = Redis.from_url(REDIS_URL)
    try:
        keys = await client.keys(f"ratelimit:{policy.name}:*")
        assert len(keys) == 1
        assert 0 < await client.ttl(keys[0]) <= 30
    finally:
        await client.aclose()


# ---------------------------------------------------------------- over HTTP


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def limited(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Client]:
    app = create_app(settings_for(tmp_path, rate_limiter=MemoryRateLimiter(clock=clock)))
    async with running(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield Client(http=http)


LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"


async def login(client: Client, email: str, password: str) -> httpx.Response:
    return await client.http.post(
        "/graphql",
        json={
            "query": LOGIN,
            "variables": {"e": email, "p": password},
        },
    )


def code_of(reply: httpx.Response) -> str | None:
    errors = reply.json().get("errors")
    return errors[0]["extensions"]["code"] if errors else None


async def test_failed_logins_from_an_address_lock_that_address_out_of_the_account(
    limited: Client, clock: FakeClock
) -> None:
    await limited.register("guarded@example.org", password="right-password")
    for _ in range(POLICIES.login_per_account_address.limit):
        assert code_of(await login(limited, "Guarded@example.org", "wrong")) == "UNAUTHENTICATED"

    refused = await login(limited, "guarded@example.org", "right-password")

    error = refused.json()["errors"][0]
    assert error["extensions"] == {
        "code": "RATE_LIMITED",
        "retryAfter": POLICIES.login_per_account_address.window_seconds,
    }
    assert refused.headers["retry-after"] == str(POLICIES.login_per_account_address.window_seconds)
    clock.now += POLICIES.login_per_account_address.window_seconds
    assert code_of(await login(limited, "guarded@example.org", "right-password")) is None


async def test_attempts_on_an_account_that_does_not_exist_count_too(limited: Client) -> None:
    for _ in range(POLICIES.login_per_account_address.limit):
        assert code_of(await login(limited, "ghost@example.org", "guess")) == "UNAUTHENTICATED"

    assert code_of(await login(limited, "ghost@example.org", "guess")) == "RATE_LIMITED"
    assert code_of(await login(limited, "someone-else@example.org", "guess")) == "UNAUTHENTICATED"


async def test_one_address_trying_many_accounts_is_limited(limited: Client) -> None:
    for index in range(POLICIES.login_per_address.limit):
        reply = await login(limited, f"spray{index}@example.org", "guess")
        assert code_of(reply) == "UNAUTHENTICATED"

    assert code_of(await login(limited, "fresh@example.org", "guess")) == "RATE_LIMITED"


async def test_registrations_per_address_are_limited_and_the_refused_one_stores_nothing(
    limited: Client,
) -> None:
    for index in range(POLICIES.register_per_address.limit):
        await limited.register(f"new{index}@example.org")

    reply = await limited.op(
        "Register",
        input={"email": "one-too-many@example.org", "password": "long-enough", "displayName": "X"},
    )

    assert reply.code == "RATE_LIMITED"
    assert await User.filter(email="one-too-many@example.org").count() == 0


async def test_the_limiter_is_shared_through_redis_when_the_broadcast_is_redis() -> None:
    shared = rate_limiter_for("redis://127.0.0.1:6379/0")
    local = rate_limiter_for("memory://")
    try:
        assert isinstance(shared, RedisRateLimiter)
        assert isinstance(local, MemoryRateLimiter)
    finally:
        await shared.close()
