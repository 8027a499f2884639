"""Sign-in limits: nobody locks an owner out, and guessing stays bounded.

Wrong passwords for someone's e-mail, from anywhere, used to lock the owner
out for a quarter hour (renewable forever). Each test runs against the
in-memory limiter and the Redis one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from app import create_app
from resolvers.ratelimit import POLICIES, MemoryRateLimiter, RateLimiter
from resolvers.ratelimit_redis import RedisRateLimiter
from tests.servers import require
from tests.support import Client, running, settings_for

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "the owner's password"
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"

# A client at one address: `await at("10.0.0.1")` gives a Client whose
# requests come from there.
At = Callable[[str], Awaitable[Client]]


async def _redis_limiter() -> RateLimiter:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        reachable = bool(await client.ping())
    except (RedisError, OSError):
        reachable = False
    finally:
        await client.aclose()
    require(reachable, f"Redis at {REDIS_URL}")
    return RedisRateLimiter.from_url(REDIS_URL)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.services)])
async def at(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[At]:
    limiter: RateLimiter = (
        MemoryRateLimiter() if request.param == "memory" else await _redis_limiter()
    )
    app = create_app(settings_for(tmp_path, rate_limiter=limiter))
    clients: list[httpx.AsyncClient] = []

    async def client_at(address: str) -> Client:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        http = httpx.AsyncClient(transport=transport, base_url="http://t")
        clients.append(http)
        return Client(http=http)

    async with running(app):
        yield client_at
        for http in clients:
            await http.aclose()
    await limiter.close()


def unique(prefix: str) -> str:
    """Redis keeps windows across test runs: every run uses fresh accounts and addresses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def address() -> str:
    # Fresh per run; the ASGI transport does not care that it is not an IP address.
    return unique("addr")


async def owner(at: At) -> str:
    email = f"{unique('owner')}@example.org"
    await (await at(address())).register(email, password=PASSWORD)
    return email


async def login(client: Client, email: str, password: str) -> dict[str, object]:
    reply = await client.http.post(
        "/graphql", json={"query": LOGIN, "variables": {"e": email, "p": password}}
    )
    body: dict[str, object] = reply.json()
    return body


def code_of(body: dict[str, object]) -> str | None:
    errors = body.get("errors")
    assert errors is None or isinstance(errors, list)
    return errors[0]["extensions"]["code"] if errors else None


async def test_wrong_passwords_from_elsewhere_never_stop_the_owner_at_home(at: At) -> None:
    email = await owner(at)
    attacker = await at(address())
    for _ in range(POLICIES.login_per_account_address.limit):
        assert code_of(await login(attacker, email, "a guess")) == "UNAUTHENTICATED"
    assert code_of(await login(attacker, email, "another guess")) == "RATE_LIMITED"
    assert code_of(await login(attacker, email, PASSWORD)) == "RATE_LIMITED"

    home = await at(address())
    signed_in = await login(home, email, PASSWORD)

    assert code_of(signed_in) is None


async def test_guessing_from_one_address_is_bounded(at: At) -> None:
    email = await owner(at)
    guesser = await at(address())
    answers = [code_of(await login(guesser, email, f"guess {n}")) for n in range(30)]

    limit = POLICIES.login_per_account_address.limit
    assert answers == ["UNAUTHENTICATED"] * limit + ["RATE_LIMITED"] * (30 - limit)


async def test_one_address_spraying_many_accounts_is_bounded(at: At) -> None:
    sprayer = await at(address())
    limit = POLICIES.login_per_address.limit
    answers = [
        code_of(await login(sprayer, f"{unique('sprayed')}@example.org", "Summer2024!"))
        for _ in range(limit + 3)
    ]

    assert answers == ["UNAUTHENTICATED"] * limit + ["RATE_LIMITED"] * 3


async def test_an_account_guessed_from_many_addresses_still_lets_its_owner_in(at: At) -> None:
    email = await owner(at)
    per_address = POLICIES.login_per_account_address.limit
    guessers = [
        await at(address()) for _ in range(POLICIES.login_failures_per_account.limit // per_address)
    ]
    for guesser in guessers:
        for _ in range(per_address):
            assert code_of(await login(guesser, email, "a guess")) == "UNAUTHENTICATED"

    # The account's failures are spent: an address that failed on it is out,
    # even with the right password, and before its own attempts ran out.
    halfway = await at(address())
    assert code_of(await login(halfway, email, "one guess")) == "UNAUTHENTICATED"
    assert code_of(await login(halfway, email, PASSWORD)) == "RATE_LIMITED"
    # An address without failures on it still gets in with the right password,
    assert code_of(await login(await at(address()), email, PASSWORD)) is None
    # and a fresh address guessing gets one failure, then is out too.
    fresh = await at(address())
    assert code_of(await login(fresh, email, "fresh guess")) == "UNAUTHENTICATED"
    assert code_of(await login(fresh, email, "second guess")) == "RATE_LIMITED"


async def test_a_fresh_address_has_few_attempts_while_the_account_is_spent(at: At) -> None:
    email = await owner(at)
    per_address = POLICIES.login_per_account_address.limit
    for _ in range(POLICIES.login_failures_per_account.limit // per_address):
        guesser = await at(address())
        for _ in range(per_address):
            await login(guesser, email, "a guess")

    home = await at(address())
    allowed = POLICIES.login_while_account_spent.limit
    answers = [code_of(await login(home, email, PASSWORD)) for _ in range(allowed + 1)]

    assert answers == [None] * allowed + ["RATE_LIMITED"]


async def test_wrong_current_passwords_count_like_sign_ins(at: At) -> None:
    email = await owner(at)
    thief_at = address()
    token = (await login(await at(address()), email, PASSWORD))["data"]
    assert isinstance(token, dict)
    thief = (await at(thief_at)).signed_in(token["login"]["token"], "")

    answers = []
    for n in range(POLICIES.login_per_account_address.limit + 1):
        reply = await thief.op(
            "ChangePassword", currentPassword=f"guess {n}", newPassword="new one!"
        )
        answers.append(reply.code)
    right = await thief.op("ChangePassword", currentPassword=PASSWORD, newPassword="new one!")

    limit = POLICIES.login_per_account_address.limit
    assert answers == ["BAD_USER_INPUT"] * limit + ["RATE_LIMITED"]
    assert right.code == "RATE_LIMITED"
    # Sign-in from the thief's address is out too: the same count.
    assert code_of(await login(await at(thief_at), email, PASSWORD)) == "RATE_LIMITED"
    # The owner, elsewhere, is not.
    assert code_of(await login(await at(address()), email, PASSWORD)) is None
