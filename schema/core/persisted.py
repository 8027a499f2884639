"""Documents sent by hash: Apollo's automatic persisted queries, and trusted documents.

A request may carry `extensions.persistedQuery: {version: 1, sha256Hash}`
(Apollo's PersistedQueryLink, urql's persistedExchange), over POST or GET
(`?extensions=...`):

- without `query`: the document registered under the hash runs. A hash the
  service does not hold answers PERSISTED_QUERY_NOT_FOUND with the message
  `PersistedQueryNotFound`, which is what the clients look for (either one)
  before they resend the request with its text;
- with `query`: the text's SHA-256 must be the hash, or the request is
  refused (BAD_USER_INPUT "provided sha does not match query", Apollo
  Server's words): a client must not file a text under another's hash.
  Once the document has parsed and validated, it is registered (up to
  16 KB, and 100 documents per address in 10 minutes: past that the text
  runs, unfiled).

The store (`resolvers.persisted_documents`) is a cache: in memory, or shared
through Redis when the processes share one; what it forgot, the client
registers again with one more round trip.

With TRUSTED_DOCUMENTS only the manifest's documents run (`TrustedDocuments`):
by id (anything else PERSISTED_QUERY_NOT_FOUND) or by their exact text
(anything else FORBIDDEN), over every transport; nothing registers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError

from resolvers.persisted_documents import MAX_DOCUMENT_BYTES, DocumentStore, MemoryDocuments
from resolvers.ratelimit import POLICIES, RateLimiter
from schema.core.trusted_documents import TrustedDocuments

VERSION = 1
NOT_FOUND_CODE = "PERSISTED_QUERY_NOT_FOUND"
NOT_FOUND_MESSAGE = "PersistedQueryNotFound"
HASH_MISMATCH = "provided sha does not match query"
NOT_TRUSTED = "This service runs only the documents of its manifest (TRUSTED_DOCUMENTS)."
FIELD = "extensions.persistedQuery"


def not_found() -> GraphQLError:
    return GraphQLError(NOT_FOUND_MESSAGE, extensions={"code": NOT_FOUND_CODE})


def _bad(message: str) -> GraphQLError:
    return GraphQLError(
        message,
        extensions={
            "code": "BAD_USER_INPUT",
            "field": FIELD,
            "fieldErrors": [{"field": FIELD, "message": message}],
        },
    )


def _not_trusted() -> GraphQLError:
    return GraphQLError(NOT_TRUSTED, extensions={"code": "FORBIDDEN"})


@dataclass(frozen=True)
class Requested:
    """The text to run, and the hash to file it under once it checks out."""

    query: str | None
    register: str | None = None


def asks_by_hash(extensions: Mapping[str, Any] | None) -> bool:
    return extensions is not None and "persistedQuery" in extensions


@dataclass
class PersistedDocuments:
    """The documents a request may name by hash, and those it may run at all."""

    store: DocumentStore = field(default_factory=MemoryDocuments)
    trusted: TrustedDocuments | None = None
    # Bounds what one address files; None: no bound (in-process tests).
    limiter: RateLimiter | None = None

    def held(self, query: str | None, extensions: Mapping[str, Any] | None) -> str | None:
        """The text of a request by hash alone that this process holds, else None.

        The common case, answered without awaiting anything; `resolve` does
        the rest (and every refusal).
        """
        if query is not None or extensions is None:
            return None
        persisted_query = extensions.get("persistedQuery")
        if type(persisted_query) is not dict or persisted_query.get("version") != VERSION:
            return None
        sha256 = persisted_query.get("sha256Hash")
        if type(sha256) is not str:
            return None
        if self.trusted is not None:
            return self.trusted.by_id.get(sha256)
        return self.store.held(sha256)

    def applies(self, extensions: Mapping[str, Any] | None) -> bool:
        """Whether a request needs `resolve` (else its `query` runs as it is)."""
        return self.trusted is not None or asks_by_hash(extensions)

    async def resolve(
        self, query: str | None, extensions: Mapping[str, Any] | None
    ) -> Requested | GraphQLError:
        """The document a request runs, or the refusal to answer with."""
        if not asks_by_hash(extensions):
            return self._text(query)
        assert extensions is not None
        sha256 = _hash_of(extensions["persistedQuery"])
        if isinstance(sha256, GraphQLError):
            return sha256
        if self.trusted is not None:
            if query is not None:
                return self._text(query)  # nothing registers: the hash has no say
            text = self.trusted.by_id.get(sha256)
            return Requested(text) if text is not None else not_found()
        if query is None:
            text = await self.store.get(sha256)
            return Requested(text) if text is not None else not_found()
        if hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest() != sha256:
            return _bad(HASH_MISMATCH)
        return Requested(query, register=sha256)

    def _text(self, query: str | None) -> Requested | GraphQLError:
        if self.trusted is not None and query is not None and query not in self.trusted.texts:
            return _not_trusted()
        return Requested(query)

    async def register(self, sha256: str, text: str, address: str) -> None:
        """Files a document for later requests by hash, within the bounds of the store.

        A document too large, or sent by an address past its share, is not
        filed; its request runs all the same, and its client keeps sending the
        text after the hash.
        """
        if len(text) > MAX_DOCUMENT_BYTES or len(text.encode("utf-8")) > MAX_DOCUMENT_BYTES:
            return
        if self.limiter is not None:
            usage = await self.limiter.add(POLICIES.persisted_documents_per_address, address)
            if usage.hits > POLICIES.persisted_documents_per_address.limit:
                return
        await self.store.put(sha256, text)

    async def close(self) -> None:
        await self.store.close()


def _hash_of(persisted_query: object) -> str | GraphQLError:
    if not isinstance(persisted_query, dict):
        return _bad("`persistedQuery` must be an object: {version: 1, sha256Hash}.")
    if persisted_query.get("version") != VERSION:
        return _bad("Unsupported persisted query version: send version 1.")
    sha256 = persisted_query.get("sha256Hash")
    if not isinstance(sha256, str) or not sha256:
        return _bad("`sha256Hash` must be the document's SHA-256 in hex.")
    return sha256
