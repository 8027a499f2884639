"""The Redis client for work on a request's path: it fails fast when Redis is away.

One retry, at once, replaces a pooled connection that a restart of Redis
closed (redis-py's default would retry for seconds); a second of timeout
keeps a request from waiting longer than that on a Redis that is gone.
"""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

# Which broadcast URLs mean Redis: one rule for every part that may use it.
from orm.rules.redis_url import is_redis as is_redis

# A rate-limit hit or a document lookup must not hold a request up for long when Redis is away.
REDIS_TIMEOUT_S = 1.0


def fail_fast_client(url: str) -> Redis:
    """A client of the Redis at `url` with one immediate retry and one-second timeouts."""
    return Redis.from_url(
        url,
        retry=Retry(NoBackoff(), 1),
        socket_connect_timeout=REDIS_TIMEOUT_S,
        socket_timeout=REDIS_TIMEOUT_S,
    )
