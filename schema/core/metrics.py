"""Prometheus metrics at `/metrics`, behind METRICS_TOKEN; nothing is counted without it.

Every label comes from a bounded set that no client can grow: operation
names are the project's own client operations (`clients/operations.graphql`)
and "other" for anything else, error codes are the contract's `[A-Z_]` words,
rate-limit policies are `resolvers.ratelimit.POLICIES`. No label or value
holds a user's data.

Several processes: under `uvicorn --workers N` each worker is a child of
uvicorn's supervisor, and each would count alone. prometheus-client's
multiprocess mode adds them up: every worker writes its figures to files in
PROMETHEUS_MULTIPROC_DIR, and the worker that answers a scrape reads them
all. When that variable is unset and the app runs in a child process, it
uses a private folder named for the supervisor (its pid and start time),
which its siblings share; folders of supervisors that have exited are
removed then, so that a restarted service starts from zero.
The variable must be set before prometheus-client is imported, so this
module imports it only in `enable`. Several hosts: each serves its own
`/metrics`; Prometheus sums them (`sum by (operation) (...)`).
"""

from __future__ import annotations

import hmac
import multiprocessing
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from orm.vocabulary import DeliveryStatus

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"
OTHER = "other"
# Seconds: operations are mostly milliseconds; the top buckets catch a stall.
DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Send-to-receive of a message: from commit to the subscriber's socket.
DELIVERY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_CODE = re.compile(r"[A-Z][A-Z_]{0,39}")
MIN_TOKEN_LENGTH = 32


FOLDER_PREFIX = "mentoring-metrics-"


def shared_folder(env: Mapping[str, str] = os.environ) -> Path | None:
    """Where the processes serving this app write their figures; None: one process alone."""
    if env.get(MULTIPROC_DIR):
        return Path(env[MULTIPROC_DIR])
    parent = multiprocessing.parent_process()
    if parent is None or parent.pid is None:
        return None
    return supervisor_folder(parent.pid, Path(tempfile.gettempdir()))


def supervisor_folder(supervisor_pid: int, directory: Path) -> Path:
    """The folder the children of `supervisor_pid` share, in `directory`.

    Named for the supervisor's pid and start time, so that a later process
    given the same pid does not add up an old run's files; the folders of
    supervisors no longer running go first.
    """
    for old in directory.glob(f"{FOLDER_PREFIX}*"):
        if not _running(old.name.removeprefix(FOLDER_PREFIX)):
            shutil.rmtree(old, ignore_errors=True)  # a sibling may be removing it too
    folder = directory / f"{FOLDER_PREFIX}{_identity(supervisor_pid)}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _identity(pid: int) -> str:
    """`pid-starttime` where the system tells a process's start (Linux), else the pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return str(pid)
    # The fields after the parenthesised command name; the start time is the 22nd field.
    return f"{pid}-{stat.rpartition(')')[2].split()[19]}"


def _running(identity: str) -> bool:
    pid, _, _started = identity.partition("-")
    if not pid.isdigit():
        return True  # not a folder of ours: leave it
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's
    return _identity(int(pid)) == identity or "-" not in identity


def bounded_code(code: object) -> str:
    return code if isinstance(code, str) and _CODE.fullmatch(code) else OTHER


class Metrics:
    """The service's metrics; `enable` builds the one instance of the process."""

    def __init__(self, operation_names: Iterable[str], folder: Path | None) -> None:
        import prometheus_client as prom

        self.folder = folder
        self.names = frozenset(operation_names)
        self.registry = prom.CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.operations = prom.Counter(
            "mentoring_graphql_operations",
            "GraphQL operations run, by operation name and type",
            ["operation", "type"],
            registry=registry,
        )
        self.duration = prom.Histogram(
            "mentoring_graphql_operation_duration_seconds",
            "Time to run an operation (a subscription: until its stream starts)",
            ["operation", "type"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        )
        self.errors = prom.Counter(
            "mentoring_graphql_errors",
            "Errors in answers, by extensions.code",
            ["code"],
            registry=registry,
        )
        self.websockets = prom.Gauge(
            "mentoring_websockets_open",
            "WebSocket connections open now",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.subscriptions = prom.Gauge(
            "mentoring_live_subscriptions",
            "Subscriptions streaming now",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.delivered = prom.Counter(
            "mentoring_messages_delivered",
            "Messages delivered to live subscribers",
            registry=registry,
        )
        self.delivery = prom.Histogram(
            "mentoring_message_delivery_seconds",
            "From a message's commit to its delivery to a live subscriber",
            buckets=DELIVERY_BUCKETS,
            registry=registry,
        )
        self.rate_limited = prom.Counter(
            "mentoring_rate_limited",
            "Requests refused by a rate limit, by policy",
            ["policy"],
            registry=registry,
        )
        self.database = prom.Gauge(
            "mentoring_database_connections_in_use",
            "Database connections lent out now (SQLite: its one, in a transaction)",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.reconnects = prom.Counter(
            "mentoring_broadcast_reconnects",
            "Times the broadcast (Redis) connection was lost and restored",
            registry=registry,
        )
        self.outbox = prom.Gauge(
            "mentoring_outbox_emails",
            "E-mails in the outbox by status: PENDING is the queue, FAILED and DEAD need a look",
            ["status"],
            registry=registry,
            multiprocess_mode="mostrecent",
        )
        self._operations: dict[tuple[str, str], tuple[Any, Any]] = {}
        self._errors: dict[str, Any] = {}

    def operation_name(self, name: str | None) -> str:
        return name if name is not None and name in self.names else OTHER

    def operation(self, name: str, kind: str, seconds: float, codes: Iterable[str]) -> None:
        children = self._operations.get((name, kind))
        if children is None:
            children = self._operations[(name, kind)] = (
                self.operations.labels(name, kind),
                self.duration.labels(name, kind),
            )
        children[0].inc()
        children[1].observe(seconds)
        for code in codes:
            self.error(code)

    def error(self, code: str) -> None:
        child = self._errors.get(code)
        if child is None:
            child = self._errors[code] = self.errors.labels(code)
        child.inc()

    def message_delivered(self, seconds: float) -> None:
        self.delivered.inc()
        self.delivery.observe(max(seconds, 0.0))

    def refused(self, policy: str) -> None:
        self.rate_limited.labels(policy).inc()

    def reconnected(self) -> None:
        self.reconnects.inc()

    def outbox_counts(self, counts: Mapping[DeliveryStatus, int]) -> None:
        for status, count in counts.items():
            self.outbox.labels(status.value).set(count)

    def exposition(self) -> bytes:
        from prometheus_client import generate_latest
        from prometheus_client.multiprocess import MultiProcessCollector
        from prometheus_client.registry import CollectorRegistry

        if self.folder is None:
            return generate_latest(self.registry)
        every_process = CollectorRegistry()
        MultiProcessCollector(every_process, path=str(self.folder))  # type: ignore[no-untyped-call]
        return generate_latest(every_process)

    def process_ended(self) -> None:
        """Drop this process's live gauges from the shared figures (multiprocess mode)."""
        if self.folder is not None:
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(os.getpid(), path=str(self.folder))  # type: ignore[no-untyped-call]


ACTIVE: Metrics | None = None


def enable(operation_names: Iterable[str]) -> Metrics:
    """The process's metrics, built on the first call (prometheus-client imported then)."""
    global ACTIVE
    if ACTIVE is None:
        folder = shared_folder()
        if folder is not None:
            os.environ.setdefault(MULTIPROC_DIR, str(folder))
        ACTIVE = Metrics(operation_names, folder)
    return ACTIVE


@contextmanager
def open_websocket() -> Iterator[None]:
    """Counts a WebSocket connection as open for the length of the block."""
    active = ACTIVE
    if active is None:
        yield
        return
    active.websockets.inc()
    try:
        yield
    finally:
        active.websockets.dec()


def authorized(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)


CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def exposition_response(metrics: Metrics) -> Response:
    return Response(metrics.exposition(), media_type=CONTENT_TYPE)


def refused() -> Response:
    return PlainTextResponse(
        "metrics need the bearer token METRICS_TOKEN",
        status_code=401,
        headers={"www-authenticate": "Bearer"},
    )
