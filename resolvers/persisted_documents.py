"""Where automatic persisted queries keep their documents: hash -> text, as a cache.

A miss costs nothing but one round trip more: the client resends the text
with its hash, which registers it again. So the store may forget at will,
and it is bounded: least recently used first out, by count and by total
size. `MemoryDocuments` holds them in this process (one process, the
default). `RedisDocuments` keeps the same in front of Redis, shared by every
process when BROADCAST_URL is a redis:// URL, each key with a time to live
that a read there renews; a document registered through one process runs by
hash on all. While Redis does not answer, each process still serves what it
holds itself. What Redis holds is bounded by the time to live, the size of
a document filed (`MAX_DOCUMENT_BYTES`) and the documents one address may
file (`POLICIES.persisted_documents_per_address`).

A document served from memory is the very string registered, so the
schema's cache of checked documents (keyed by text) finds it without
hashing the text again: Python keeps a string's hash with the string.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from orm.rules.redis_url import is_redis
from resolvers.redis_client import fail_fast_client

logger = logging.getLogger("mentoring.persisted")

MAX_DOCUMENTS = 1000
MAX_TOTAL_BYTES = 4 * 1024 * 1024
# The largest document filed: an app's operations are a few KB (the largest
# of clients/operations.graphql is under 1 KB); a larger text runs by text.
MAX_DOCUMENT_BYTES = 16 * 1024
# A document stays in Redis a day after it was last read there; one whose
# hash is gone costs its client one resend.
REDIS_TTL_SECONDS = 24 * 60 * 60
REDIS_PREFIX = "apq:"


class DocumentStore(Protocol):
    def held(self, sha256: str) -> str | None:
        """What this process holds, without a round trip: the common case."""

    async def get(self, sha256: str) -> str | None: ...

    async def put(self, sha256: str, text: str) -> None: ...

    async def close(self) -> None: ...


class MemoryDocuments:
    """The most recently used documents, within `max_documents` and `max_bytes` of UTF-8."""

    def __init__(
        self, max_documents: int = MAX_DOCUMENTS, max_bytes: int = MAX_TOTAL_BYTES
    ) -> None:
        self.max_documents = max_documents
        self.max_bytes = max_bytes
        # hash -> (text, its size in bytes)
        self._held: OrderedDict[str, tuple[str, int]] = OrderedDict()
        self.size = 0

    def __len__(self) -> int:
        return len(self._held)

    def held(self, sha256: str) -> str | None:
        entry = self._held.get(sha256)
        if entry is None:
            return None
        self._held.move_to_end(sha256)
        return entry[0]

    def hold(self, sha256: str, text: str) -> None:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > self.max_bytes:
            return  # larger than the whole store: served by text each time
        previous = self._held.pop(sha256, None)
        if previous is not None:
            self.size -= previous[1]
        self._held[sha256] = (text, size)
        self.size += size
        while len(self._held) > self.max_documents or self.size > self.max_bytes:
            _, (_, dropped) = self._held.popitem(last=False)
            self.size -= dropped

    async def get(self, sha256: str) -> str | None:
        return self.held(sha256)

    async def put(self, sha256: str, text: str) -> None:
        self.hold(sha256, text)

    async def close(self) -> None:
        return None


class RedisDocuments:
    """This process's `MemoryDocuments` in front of Redis, which every process shares."""

    def __init__(self, client: Redis, local: MemoryDocuments | None = None) -> None:
        self._client = client
        self.local = local or MemoryDocuments()

    @classmethod
    def from_url(cls, url: str) -> RedisDocuments:
        return cls(fail_fast_client(url))

    def held(self, sha256: str) -> str | None:
        return self.local.held(sha256)

    async def get(self, sha256: str) -> str | None:
        text = self.local.held(sha256)
        if text is not None:
            return text
        try:
            stored = await self._client.getex(REDIS_PREFIX + sha256, ex=REDIS_TTL_SECONDS)
        except (RedisError, OSError) as error:
            logger.warning("persisted query looked up in this process only: %s", error)
            return None
        if stored is None:
            return None
        text = stored.decode("utf-8") if isinstance(stored, bytes) else str(stored)
        self.local.hold(sha256, text)
        return text

    async def put(self, sha256: str, text: str) -> None:
        self.local.hold(sha256, text)
        try:
            await self._client.set(REDIS_PREFIX + sha256, text, ex=REDIS_TTL_SECONDS)
        except (RedisError, OSError) as error:
            logger.warning("persisted query registered in this process only: %s", error)

    async def close(self) -> None:
        await self._client.aclose()


def document_store_for(broadcast_url: str) -> DocumentStore:
    """Redis when the processes share one (BROADCAST_URL), else this process's memory."""
    if is_redis(broadcast_url):
        return RedisDocuments.from_url(broadcast_url)
    return MemoryDocuments()
