"""The `/metrics` route and the figures sampled for it (see `schema.core.metrics`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path

from graphql import OperationDefinitionNode, parse
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from resolvers import service_figures, signals
from schema.core.metrics import Metrics, authorized, exposition_response, refused

logger = logging.getLogger("mentoring.metrics")


@cache  # the project's own file, parsed once per process (80 ms) rather than per app
def operation_names(operations: Path) -> frozenset[str]:
    """The names of the operations in a document file: the bounded set of label values."""
    document = parse(operations.read_text(encoding="utf-8"))
    return frozenset(
        definition.name.value
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode) and definition.name is not None
    )


def connect_signals(metrics: Metrics) -> None:
    """The domain's signals, counted (`resolvers.signals`)."""
    signals.rate_limited.connect(metrics.refused)
    signals.message_delivered.connect(metrics.message_delivered)


class Sampler:
    """Sets the gauges that are read rather than counted: the pool, the outbox."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def sample(self) -> None:
        figures = await service_figures.figures()
        self.metrics.database.set(figures.database_in_use)
        self.metrics.outbox_counts(figures.outbox)

    async def run(self, interval: float) -> None:
        while True:
            try:
                await self.sample()
            except Exception:  # the next sample tries again; the service goes on
                logger.exception("could not sample the service's figures")
            await asyncio.sleep(interval)


def metrics_endpoint(
    metrics: Metrics, token: str, sampler: Sampler
) -> Callable[[Request], Awaitable[Response]]:
    """`GET /metrics`: the figures of every process, for the bearer of `token` only."""

    async def endpoint(request: Request) -> Response:
        if not authorized(request, token):
            return refused()
        try:
            await sampler.sample()
        except Exception:
            logger.exception("could not sample the service's figures")
            return PlainTextResponse("could not read the figures", status_code=503)
        return exposition_response(metrics)

    return endpoint
