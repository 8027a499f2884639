"""What a process does while its database or Redis is away, and once they are back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from resolvers.errors import RateLimited
from resolvers.ratelimit import Policy
from resolvers.ratelimit_redis import RedisRateLimiter
from tests.scaleout.cluster import cluster
from tests.scaleout.services import PrivateRedis, TcpProxy
from tests.support import Client

pytestmark = pytest.mark.services


@pytest.fixture
async def database_proxy(postgres_url: str) -> AsyncIterator[tuple[TcpProxy, str]]:
    """A proxy in front of PostgreSQL, and the database's URL through it."""
    parts = urlsplit(postgres_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    await proxy.start()
    netloc = f"{parts.username}@127.0.0.1:{proxy.port}"
    try:
        yield proxy, urlunsplit(parts._replace(netloc=netloc))
    finally:
        await proxy.close()


async def test_readyz_says_503_while_the_database_is_unreachable_and_recovers(
    tmp_path: Path, database_proxy: tuple[TcpProxy, str], redis: PrivateRedis
) -> None:
    proxy, url = database_proxy
    async with cluster(tmp_path, {"DATABASE_URL": url, "BROADCAST_URL": redis.url}) as running:
        (node,) = await running.start(1)
        anon = Client(http=node.http)
        await anon.register("before@example.org", "Bea")

        await proxy.cut()
        await node.until_ready(503)
        assert "database" in (await node.http.get("/readyz")).text
        await node.until_ready(503)  # and it stays so
        await proxy.restore()

        await node.until_ready(200)
        after = await anon.register("after@example.org", "Abe")
        assert (await after.op("Viewer")).data["viewer"]["email"] == "after@example.org"


async def test_rate_limits_hold_in_each_process_while_redis_is_away(
    redis: PrivateRedis,
) -> None:
    limiter = RedisRateLimiter.from_url(redis.url)
    policy = Policy("outage", limit=2, window_seconds=60)
    try:
        redis.stop()
        await limiter.hit(policy, "someone")
        await limiter.hit(policy, "someone")
        with pytest.raises(RateLimited):
            await limiter.hit(policy, "someone")
        redis.start()
        # Back on Redis, which starts counting afresh.
        await limiter.hit(policy, "someone")
    finally:
        await limiter.close()
