"""Rate limits: how often one key (an account, an address, a user) may do one thing.

Every policy is in `POLICIES`, with its numbers. A limiter counts hits in
fixed windows: the first hit of a key opens a window of `window_seconds`, and
once more than `limit` hits fall into it, each further hit raises
`RateLimited` with the whole seconds until the window closes. (A fixed window
lets a burst of up to twice the limit straddle two windows; that is the
price of one atomic counter per key, and fine for these numbers.)

`MemoryRateLimiter` counts in this process (one process, the default);
`resolvers.ratelimit_redis.RedisRateLimiter` counts in Redis, shared by every
process, and is chosen when BROADCAST_URL is a redis:// URL.

Callers: `await limiter.hit(POLICIES.login_per_account, email)`. Mutations
of other domains call `hit_for_user` (see below) before they change anything.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from resolvers.errors import RateLimited

Clock = Callable[[], float]


@dataclass(frozen=True)
class Policy:
    name: str
    limit: int
    window_seconds: int


@dataclass(frozen=True)
class Policies:
    # Every attempt counts, a success too: a check-then-count on failures
    # would let parallel guesses slip past. Ten tries per quarter hour is
    # ample for a person who mistypes, and makes guessing hopeless.
    login_per_account: Policy = Policy("login-account", 10, 15 * 60)
    # Wider: several people may sign in from behind one address (a campus).
    login_per_address: Policy = Policy("login-address", 50, 15 * 60)
    register_per_address: Policy = Policy("register-address", 10, 60 * 60)
    # A mentee holds at most 3 open requests; this bounds the churn of
    # requesting and withdrawing.
    mentoring_requests_per_user: Policy = Policy("mentoring-request-user", 20, 24 * 60 * 60)
    # A lively chat, not a flood.
    messages_per_user: Policy = Policy("message-user", 30, 60)


POLICIES = Policies()


class RateLimiter(Protocol):
    async def hit(self, policy: Policy, key: str) -> None:
        """Count one hit of `key` under `policy`; raise RateLimited when over the limit."""

    async def close(self) -> None: ...


def bucket(policy: Policy, key: str) -> str:
    """A short, fixed-size name for a key: input of any length and content stays out."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return f"ratelimit:{policy.name}:{digest}"


def retry_after(seconds_left: float) -> int:
    return max(1, math.ceil(seconds_left))


class MemoryRateLimiter:
    """Fixed windows in a dict; windows that have closed are dropped as time passes."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}  # bucket -> (closes at, hits)
        self._next_sweep = 0.0

    async def hit(self, policy: Policy, key: str) -> None:
        now = self._clock()
        self._sweep(now)
        name = bucket(policy, key)
        closes_at, hits = self._windows.get(name, (0.0, 0))
        if closes_at <= now:
            closes_at, hits = now + policy.window_seconds, 0
        hits += 1
        self._windows[name] = (closes_at, hits)
        if hits > policy.limit:
            raise RateLimited(retry_after(closes_at - now))

    def _sweep(self, now: float) -> None:
        # At most once a minute, one pass drops every closed window: memory
        # stays proportional to the keys active in the longest window.
        if now < self._next_sweep:
            return
        self._next_sweep = now + 60
        self._windows = {name: w for name, w in self._windows.items() if w[0] > now}

    def __len__(self) -> int:
        return len(self._windows)

    async def close(self) -> None:
        self._windows.clear()


def rate_limiter_for(broadcast_url: str) -> RateLimiter:
    """Redis when the processes share one (BROADCAST_URL), else this process's memory."""
    if broadcast_url.startswith(("redis://", "rediss://")):
        from resolvers.ratelimit_redis import RedisRateLimiter

        return RedisRateLimiter.from_url(broadcast_url)
    return MemoryRateLimiter()


async def hit_for_user(limiter: RateLimiter, policy: Policy, user_id: int) -> None:
    """For mutations of a signed-in user, e.g. `POLICIES.messages_per_user`."""
    await limiter.hit(policy, str(user_id))
