"""What watching an operation costs the pipeline: metrics, tracing and per-operation log lines.

.venv/bin/python -m bench.operating [--operations 20000] [--rounds 5]

Runs `{ __typename }`, anonymous and named as a client operation (the
cheapest operation, where a fixed cost weighs most), through the schema's
one pipeline, in this process, with each way of watching turned on in turn:

- off: no metrics, no tracing, no operation lines (the default);
- metrics: prometheus-client counting as with METRICS_TOKEN set;
- tracing: OpenTelemetry's SDK making every span, exporting none;
- lines: a JSON line per operation, written to /dev/null.

Prints microseconds of CPU per operation (the median of `--rounds`) and the
difference against off. `bench.http --metrics` gives the same comparison
through the whole HTTP stack, where each request costs far more than here.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import time
from collections.abc import Callable

from opentelemetry.sdk.trace import TracerProvider

from schema import schema
from schema.core import log_format, metrics, observing, tracing
from tests.support import CLIENT_OPERATIONS

# Anonymous (labelled "other"), and under a client operation's name (its own label).
QUERIES = {"{ __typename }": "{ __typename }", "Topics": "query Topics { __typename }"}


async def _per_operation(query: str, name: str | None, count: int) -> float:
    started = time.process_time()
    for _ in range(count):
        result = await schema.execute(query, operation_name=name)
        assert not result.errors, result.errors
    return (time.process_time() - started) / count * 1e6


def _off() -> None:
    metrics.ACTIVE = None
    tracing.install(None)
    observing.log_operations = False


def _metrics() -> None:
    _off()
    metrics.ACTIVE = watched


def _tracing() -> None:
    _off()
    tracing.install(TracerProvider())


def _lines() -> None:
    _off()
    observing.log_operations = True


MODES: dict[str, Callable[[], None]] = {
    "off": _off,
    "metrics": _metrics,
    "tracing": _tracing,
    "lines": _lines,
}
watched: metrics.Metrics | None = None


def run(args: argparse.Namespace) -> None:
    global watched
    from schema.core.service_metrics import operation_names

    known = operation_names(CLIENT_OPERATIONS)
    observing.set_operations(known, logged=False)
    watched = metrics.enable(known)
    devnull = open(os.devnull, "w")  # noqa: SIM115 - open for the whole run
    handler = logging.StreamHandler(devnull)
    handler.setFormatter(log_format.JsonFormatter())
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    median = f"median of {args.rounds} rounds"
    print(f"{args.operations:,} operations a round, {median}, CPU µs per operation\n")
    print("| operation | " + " | ".join(MODES) + " |")
    print("| --- |" + " --- |" * len(MODES))
    for label, query in QUERIES.items():
        name = None if label.startswith("{") else label
        figures: dict[str, float] = {}
        for mode, switch in MODES.items():
            switch()
            asyncio.run(_per_operation(query, name, 1000))  # warm-up: caches, memo, labels
            rounds = [
                asyncio.run(_per_operation(query, name, args.operations))
                for _ in range(args.rounds)
            ]
            figures[mode] = statistics.median(rounds)
        base = figures["off"]
        cells = [f"{base:.1f}"] + [
            f"{figures[mode]:.1f} (+{figures[mode] - base:.1f})" for mode in list(MODES)[1:]
        ]
        print(f"| {label} | " + " | ".join(cells) + " |")
    _off()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
