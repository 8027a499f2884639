"""Rate limits counted in Redis, shared by every process of the service.

One MULTI/EXEC round trip per hit: SET the window's counter to 0 with its
expiry unless it exists (NX), INCR it, and read its remaining life (PTTL).
Redis runs the three as one, so concurrent hits from any number of processes
are each counted exactly once, and a window can never lose its expiry.

While Redis does not answer, each process counts in its own memory instead:
the limits still hold per process, and no request fails because of Redis.
"""

from __future__ import annotations

import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from resolvers.ratelimit import NO_USAGE, MemoryRateLimiter, Policy, Usage, bucket, refused
from resolvers.redis_client import fail_fast_client

logger = logging.getLogger("mentoring.ratelimit")


class RedisRateLimiter:
    def __init__(self, client: Redis) -> None:
        self._client = client
        self._fallback = MemoryRateLimiter()

    @classmethod
    def from_url(cls, url: str) -> RedisRateLimiter:
        return cls(fail_fast_client(url))

    async def hit(self, policy: Policy, key: str) -> None:
        used = await self.add(policy, key)
        if used.hits > policy.limit:
            raise refused(policy, used)

    async def add(self, policy: Policy, key: str) -> Usage:
        name = bucket(policy, key)
        try:
            async with self._client.pipeline(transaction=True) as pipeline:
                pipeline.set(name, 0, ex=policy.window_seconds, nx=True)
                pipeline.incr(name)
                pipeline.pttl(name)
                _, hits, milliseconds_left = await pipeline.execute()
        except (RedisError, OSError) as error:
            logger.warning("rate limit counted in this process: Redis failed (%s)", error)
            return await self._fallback.add(policy, key)
        return Usage(int(hits), max(int(milliseconds_left), 0) / 1000)

    async def usage(self, policy: Policy, key: str) -> Usage:
        name = bucket(policy, key)
        try:
            async with self._client.pipeline(transaction=True) as pipeline:
                pipeline.get(name)
                pipeline.pttl(name)
                hits, milliseconds_left = await pipeline.execute()
        except (RedisError, OSError) as error:
            logger.warning("rate limit read in this process: Redis failed (%s)", error)
            return await self._fallback.usage(policy, key)
        if hits is None or int(milliseconds_left) <= 0:
            return NO_USAGE
        return Usage(int(hits), int(milliseconds_left) / 1000)

    async def close(self) -> None:
        await self._client.aclose()
        await self._fallback.close()
