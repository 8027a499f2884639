"""What the pipeline tells operators about each operation: figures, a span, a log line.

`watch` gives None when metrics and tracing are off and the operations
logger would drop the line: the pipeline then runs exactly as without it.
Otherwise a `Watch` follows the operation: `ready` once its type is known,
`done` with its errors. The name is the operation's own when it is one of
the project's client operations, "other" otherwise, so that neither a label
nor a span name can be grown by a client.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import aclosing
from time import perf_counter
from typing import Any

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode
from opentelemetry.trace import Span

from schema.core import metrics, tracing
from schema.core.context import Context
from schema.core.log_format import UserHash

logger = logging.getLogger("mentoring.operations")
OK = "OK"
# The type of an operation refused before its document was read.
UNKNOWN = "unknown"
# The outcome of a request refused as a whole (HTTP 400, 405, ...).
REQUEST_REFUSED = "BAD_REQUEST"

user_hash: UserHash | None = None
known_operations: frozenset[str] = frozenset()
# A line per operation: on when LOG_FORMAT is set (the operator asked for lines to read).
log_operations = False


def set_user_key(secret_key: str) -> None:
    global user_hash
    user_hash = UserHash(secret_key)


def set_operations(names: frozenset[str], *, logged: bool) -> None:
    global known_operations, log_operations
    known_operations = names
    log_operations = logged


def codes(errors: Sequence[GraphQLError] | None) -> list[str]:
    return [metrics.bounded_code((error.extensions or {}).get("code")) for error in errors or ()]


class Watch:
    __slots__ = ("context", "name", "span", "started", "subscription", "token", "type")

    def __init__(self, name: str, context: Any) -> None:
        self.started = perf_counter()
        self.name = name
        self.type = UNKNOWN
        self.context = context
        self.span: Span | None = None
        self.token: object | None = None
        self.subscription = False

    def ready(self, document: DocumentNode, kind: str) -> None:
        """The document is checked: its type is known, and its name if the request gave none."""
        self.type = kind
        self.subscription = kind == "subscription"
        if self.name == metrics.OTHER:
            self.name = _bounded(_named(document))
        if tracing.active():
            headers = _headers(self.context)
            self.span = tracing.start_operation(f"{self.type} {self.name}", headers)
            if self.span is not None:
                self.token = tracing.attach(self.span)

    def done(self, errors: Sequence[GraphQLError] | None, refused: bool = False) -> None:
        """The operation answered (a subscription: its stream started, or was refused)."""
        seconds = perf_counter() - self.started
        found = [REQUEST_REFUSED] if refused else codes(errors)
        active = metrics.ACTIVE
        if active is not None:
            active.operation(self.name, self.type, seconds, found)
        if log_operations and logger.isEnabledFor(logging.INFO):
            extra = {
                "operation": self.name,
                "operation_type": self.type,
                "duration_ms": round(seconds * 1000, 2),
                "outcome": found[0] if found else OK,
            }
            user = _user(self.context)
            if user is not None:
                extra["user"] = user
            logger.info("operation %s", self.name, extra=extra)
        if self.token is not None:
            tracing.detach(self.token)
            self.token = None
        if self.span is not None and not (self.subscription and not found):
            tracing.end(self.span, found[0] if found else None)
            self.span = None

    def abandoned(self) -> None:
        """The operation's task was cancelled or its stream closed: its span ends, uncounted."""
        if self.token is not None:
            tracing.detach(self.token)
            self.token = None
        self.stream_ended()

    def stream_ended(self, errors: Sequence[GraphQLError] | None = None) -> None:
        """A subscription's stream ended: its span ends with it."""
        if self.span is not None:
            found = codes(errors)
            tracing.end(self.span, found[0] if found else None)
            self.span = None


async def streaming(events: AsyncIterator[Any], watch: Watch) -> AsyncIterator[Any]:
    """A subscription's events, counted as live while they flow, each under its span."""
    active = metrics.ACTIVE
    if active is not None:
        active.subscriptions.inc()
    try:
        async with aclosing(events):  # type: ignore[type-var]
            while True:
                # Attached around each step only: a generator may not hold a
                # context across its yields.
                token = tracing.attach(watch.span) if watch.span is not None else None
                try:
                    event = await anext(events)
                except StopAsyncIteration:
                    return
                finally:
                    if token is not None:
                        tracing.detach(token)
                yield event
    finally:
        if active is not None:
            active.subscriptions.dec()
        watch.stream_ended()


def watch(operation_name: str | None, context: Any) -> Watch | None:
    if metrics.ACTIVE is None and not tracing.active() and not log_operations:
        return None
    return Watch(_bounded(operation_name), context)


def _bounded(name: str | None) -> str:
    return name if name is not None and name in known_operations else metrics.OTHER


def _named(document: DocumentNode) -> str | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) == 1 and operations[0].name is not None:
        return operations[0].name.value
    return None


def _headers(context: Any) -> Any:
    request = context.request if isinstance(context, Context) else None
    return request.headers if request is not None else None


def _user(context: Any) -> str | None:
    if user_hash is None or not isinstance(context, Context):
        return None
    user_id = context.known_user_id()
    return user_hash(user_id) if user_id is not None else None
