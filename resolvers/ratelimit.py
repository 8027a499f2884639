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

Callers: `await limiter.hit(POLICIES.register_per_address, address)`.
Mutations of other domains call `hit_for_user` (see below) before they
change anything. Sign-in counts in more than one way at once (attempts,
failures, per account and per address): see `resolvers.ratelimit_signin`,
which also holds the sign-in policies' numbers and their reasons.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from orm.rules.redis_url import is_redis
from resolvers import signals
from resolvers.errors import RateLimited

Clock = Callable[[], float]


@dataclass(frozen=True)
class Policy:
    name: str
    limit: int
    window_seconds: int


@dataclass(frozen=True)
class Usage:
    """A key's window under one policy: hits counted so far, and seconds until it closes."""

    hits: int
    seconds_left: float


NO_USAGE = Usage(0, 0.0)


@dataclass(frozen=True)
class Policies:
    # Sign-in and password changes (see resolvers.ratelimit_signin for why
    # these numbers). Attempts per account and address together, every one.
    login_per_account_address: Policy = Policy("login-account-address", 10, 15 * 60)
    # Attempts per address, whichever accounts: bounds spraying. Wider, as
    # several people may sign in from behind one address (a campus).
    login_per_address: Policy = Policy("login-address", 50, 15 * 60)
    # Failures per account, from every address: needs many addresses to spend.
    login_failures_per_account: Policy = Policy("login-failures-account", 100, 60 * 60)
    # While an account's failures are spent: the failures of one address on it
    # (any one shuts that address out) and the attempts of an address that
    # has none (the owner's way in).
    login_failures_per_account_address: Policy = Policy(
        "login-failures-account-address", 0, 60 * 60
    )
    login_while_account_spent: Policy = Policy("login-while-spent", 3, 60 * 60)
    register_per_address: Policy = Policy("register-address", 10, 60 * 60)
    # A mentee holds at most 3 open requests; this bounds the churn of
    # requesting and withdrawing.
    mentoring_requests_per_user: Policy = Policy("mentoring-request-user", 20, 24 * 60 * 60)
    # A lively chat, not a flood.
    messages_per_user: Policy = Policy("message-user", 30, 60)
    # Calendar apps poll a feed every few minutes to hours; a feed fetched
    # more often than once a minute on average is a script, or a leaked URL.
    calendar_feed_reads: Policy = Policy("calendar-feed", 60, 60 * 60)
    # Each reset makes a new feed URL; a few a day is plenty.
    calendar_feed_resets_per_user: Policy = Policy("calendar-feed-reset-user", 10, 24 * 60 * 60)
    # Reports go to people who read each one: a few a day is what a member
    # who meets trouble needs; more is a flood (or a campaign against someone).
    reports_per_user: Policy = Policy("report-user", 10, 24 * 60 * 60)
    # Documents filed for automatic persisted queries: an app registers each of
    # its operations once, then every process serves it by hash. Past this the
    # text still runs, it is only not filed (see schema.core.persisted).
    persisted_documents_per_address: Policy = Policy("persisted-document-address", 100, 10 * 60)


POLICIES = Policies()


class RateLimiter(Protocol):
    async def hit(self, policy: Policy, key: str) -> None:
        """Count one hit of `key` under `policy`; raise RateLimited when over the limit."""

    async def add(self, policy: Policy, key: str) -> Usage:
        """Count one hit of `key` under `policy`, refusing nothing: the usage after it."""

    async def usage(self, policy: Policy, key: str) -> Usage:
        """The hits of `key` under `policy` in its open window, counting none."""

    async def close(self) -> None: ...


def bucket(policy: Policy, key: str) -> str:
    """A short, fixed-size name for a key: input of any length and content stays out."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return f"ratelimit:{policy.name}:{digest}"


def retry_after(seconds_left: float) -> int:
    return max(1, math.ceil(seconds_left))


def refused(policy: Policy, usage: Usage) -> RateLimited:
    """The refusal of a hit past `policy`'s limit, told to whoever counts refusals."""
    signals.rate_limited.send(policy.name)
    return RateLimited(retry_after(usage.seconds_left))


class MemoryRateLimiter:
    """Fixed windows in a dict; windows that have closed are dropped as time passes."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}  # bucket -> (closes at, hits)
        self._next_sweep = 0.0

    async def hit(self, policy: Policy, key: str) -> None:
        used = await self.add(policy, key)
        if used.hits > policy.limit:
            raise refused(policy, used)

    async def add(self, policy: Policy, key: str) -> Usage:
        now = self._clock()
        self._sweep(now)
        name = bucket(policy, key)
        closes_at, hits = self._windows.get(name, (0.0, 0))
        if closes_at <= now:
            closes_at, hits = now + policy.window_seconds, 0
        hits += 1
        self._windows[name] = (closes_at, hits)
        return Usage(hits, closes_at - now)

    async def usage(self, policy: Policy, key: str) -> Usage:
        now = self._clock()
        closes_at, hits = self._windows.get(bucket(policy, key), (0.0, 0))
        if closes_at <= now:
            return NO_USAGE
        return Usage(hits, closes_at - now)

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
    if is_redis(broadcast_url):
        from resolvers.ratelimit_redis import RedisRateLimiter

        return RedisRateLimiter.from_url(broadcast_url)
    return MemoryRateLimiter()


async def hit_for_user(limiter: RateLimiter, policy: Policy, user_id: int) -> None:
    """For mutations of a signed-in user, e.g. `POLICIES.messages_per_user`."""
    await limiter.hit(policy, str(user_id))
