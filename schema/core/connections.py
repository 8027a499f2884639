"""WebSocket connections per client address, bounded.

Each connection holds a place for its client's address while the view serves
it; one more than the limit is accepted and closed at once with 1013 (try
again later) "Too many connections". The address is the ASGI scope's client,
which uvicorn takes from X-Forwarded-For only for a proxy it trusts
(FORWARDED_ALLOW_IPS). The count is per process: with N workers one address
may hold up to N times the limit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.types import Scope

TOO_MANY_CONNECTIONS = "Too many connections"


class ConnectionsPerAddress:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._held: Counter[str] = Counter()

    @contextmanager
    def place(self, scope: Scope) -> Iterator[bool]:
        """Whether the connection may be served; its place is held for the block."""
        client = scope.get("client")
        if not client:
            # No address (a Unix socket without proxy headers): nothing to count by.
            yield True
            return
        address = str(client[0])
        if self._held[address] >= self.limit:
            yield False
            return
        self._held[address] += 1
        try:
            yield True
        finally:
            self._held[address] -= 1
            if not self._held[address]:
                del self._held[address]
