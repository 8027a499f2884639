"""What the domain tells whoever watches the service: plain callbacks, none by default.

The domain counts nothing itself. The app connects its metrics here
(`schema.core.metrics`), so `resolvers/` stays free of any monitoring
library, and a signal nobody listens to costs one empty loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Signal(Generic[T]):
    def __init__(self) -> None:
        self._receivers: list[Callable[[T], None]] = []

    def connect(self, receiver: Callable[[T], None]) -> None:
        """Call `receiver` on every send from now on (once, however often connected)."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)

    def send(self, value: T) -> None:
        for receiver in self._receivers:
            receiver(value)


# A rate limit refused a request: the policy's name (never the key it counted).
rate_limited: Signal[str] = Signal()
# A message reached a live subscriber: seconds from its commit to its delivery.
# Only messages that arrived while the subscriber listened; what a resuming
# client catches up on is old by design.
message_delivered: Signal[float] = Signal()
