"""Rate limits counted in Redis, shared by every process of the service.

One MULTI/EXEC round trip per hit: SET the window's counter to 0 with its
expiry unless it exists (NX), INCR it, and read its remaining life (PTTL).
Redis runs the three as one, so concurrent hits from any number of processes
are each counted exactly once, and a window can never lose its expiry.
"""

from __future__ import annotations

from redis.asyncio import Redis

from resolvers.errors import RateLimited
from resolvers.ratelimit import Policy, bucket, retry_after


class RedisRateLimiter:
    def __init__(self, client: Redis) -> None:
        self._client = client

    @classmethod
    def from_url(cls, url: str) -> RedisRateLimiter:
        return cls(Redis.from_url(url))

    async def hit(self, policy: Policy, key: str) -> None:
        name = bucket(policy, key)
        async with self._client.pipeline(transaction=True) as pipeline:
            pipeline.set(name, 0, ex=policy.window_seconds, nx=True)
            pipeline.incr(name)
            pipeline.pttl(name)
            _, hits, milliseconds_left = await pipeline.execute()
        if int(hits) > policy.limit:
            raise RateLimited(retry_after(max(int(milliseconds_left), 0) / 1000))

    async def close(self) -> None:
        await self._client.aclose()
