"""Readiness probes: can this process reach its database and broadcast backend?"""

from __future__ import annotations

import asyncio

from tortoise.context import get_current_context

from orm.rules.redis_url import is_redis

PROBE_TIMEOUT_S = 2.0


async def _database_reachable() -> bool:
    ctx = get_current_context()
    if ctx is None:
        return False
    await ctx.db().execute_query("SELECT 1")
    return True


async def _broadcast_reachable(broadcast_url: str) -> bool:
    if is_redis(broadcast_url):
        from redis.asyncio import Redis

        client = Redis.from_url(broadcast_url, socket_connect_timeout=PROBE_TIMEOUT_S)
        try:
            return bool(await client.ping())
        finally:
            await client.aclose()
    return True  # memory://: this process's own


async def problems(broadcast_url: str) -> list[str]:
    """Names of the backends that do not answer (empty when all is well)."""
    checks = {"database": _database_reachable(), "broadcast": _broadcast_reachable(broadcast_url)}
    found: list[str] = []
    for name, check in checks.items():
        try:
            if not await asyncio.wait_for(check, PROBE_TIMEOUT_S):
                found.append(name)
        except Exception:  # any failure to answer means "not ready"
            found.append(name)
    return found
