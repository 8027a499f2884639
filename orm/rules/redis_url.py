"""Whether a BROADCAST_URL names Redis: then processes share pub/sub and rate limits.

The scheme decides, in any case (`REDIS://` as `redis://`), as the settings
accept it; `rediss://` is Redis over TLS.
"""

from __future__ import annotations

from urllib.parse import urlsplit

REDIS_SCHEMES = ("redis", "rediss")


def is_redis(url: str) -> bool:
    return urlsplit(url).scheme.lower() in REDIS_SCHEMES
