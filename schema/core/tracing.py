"""OpenTelemetry traces, switched on by the standard `OTEL_*` variables; off when unset.

- `OTEL_TRACES_EXPORTER`: `otlp`, `console` or `none`; unset, `otlp` when an
  OTLP endpoint is set (`OTEL_EXPORTER_OTLP_ENDPOINT` or
  `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), else off. `OTEL_SDK_DISABLED=true`
  turns it off whatever else is set.
- `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` / `OTEL_EXPORTER_OTLP_PROTOCOL`:
  `http/protobuf` (the specification's default) or `grpc`.
- The exporter reads its own variables (endpoint, headers, timeout), and the
  resource `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`.

Spans: one per operation (`schema.core.observing`), named by its type and
its bounded name; a child per root field, whose resolver is what reaches the
database (`schema.core.executor`); and one per broadcast publish
(`schema.core.hub`). A request's `traceparent` header makes the operation's
span a child of the caller's. Attributes never hold variables or ids: a
span is no safer a place for user data than a log line.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.trace import Span, Status, StatusCode

from schema.core import spans

EXPORTERS = ("otlp", "console", "none")
PROTOCOLS = ("http/protobuf", "grpc")
DEFAULT_SERVICE_NAME = "mentoring"
T = TypeVar("T")


class TracingSettingError(ValueError):
    """An OTEL_* variable this service cannot follow: the start stops."""


def exporter_name(env: Mapping[str, str]) -> str | None:
    """The exporter the environment asks for, or None for no tracing."""
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    name = env.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if not name:
        endpoints = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        return "otlp" if any(env.get(v, "").strip() for v in endpoints) else None
    if name not in EXPORTERS:
        raise TracingSettingError(
            f"OTEL_TRACES_EXPORTER={name!r}: use one of {', '.join(EXPORTERS)}"
        )
    if name == "otlp":
        protocol(env)
    return None if name == "none" else name


def protocol(env: Mapping[str, str]) -> str:
    for variable in ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"):
        value = env.get(variable, "").strip().lower()
        if value:
            if value not in PROTOCOLS:
                raise TracingSettingError(
                    f"{variable}={value!r}: use one of {', '.join(PROTOCOLS)}"
                )
            return value
    return PROTOCOLS[0]


def _exporter(name: str, env: Mapping[str, str]) -> SpanExporter:
    if name == "console":
        return ConsoleSpanExporter()
    if protocol(env) == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
        OTLPSpanExporter as HttpSpanExporter,
    )

    return HttpSpanExporter()


def provider_from_env(name: str, env: Mapping[str, str]) -> TracerProvider:
    """A provider exporting in batches to the exporter `name` (see `exporter_name`)."""
    resource = Resource.create({"service.name": DEFAULT_SERVICE_NAME}).merge(Resource.create())
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(_exporter(name, env)))
    return provider


def install(provider: TracerProvider | None) -> None:
    """Trace with `provider` from now on in this process (None: stop tracing)."""
    spans.use(provider.get_tracer("mentoring") if provider is not None else None)


def active() -> bool:
    return spans.tracer is not None


def start_operation(name: str, headers: Mapping[str, str] | None) -> Span | None:
    """The span of one operation, a child of the caller's `traceparent` if it sent one."""
    tracer = spans.tracer
    if tracer is None:
        return None
    parent = _propagated(headers) if headers is not None else None
    return tracer.start_span(name, context=parent, kind=trace.SpanKind.SERVER)


def _propagated(headers: Mapping[str, str]) -> otel_context.Context | None:
    if "traceparent" not in headers:
        return None
    from opentelemetry.propagate import extract

    return extract(dict(headers))


def attach(span: Span) -> object:
    """Make `span` the parent of spans started in this task until `detach`."""
    return otel_context.attach(trace.set_span_in_context(span))


def detach(token: object) -> None:
    otel_context.detach(token)  # type: ignore[arg-type]


def end(span: Span, error_code: str | None) -> None:
    if error_code is not None:
        span.set_status(Status(StatusCode.ERROR, error_code))
    span.end()


def root_field(
    name: str, run: Callable[[], T], is_awaitable: Callable[[Any], bool]
) -> T | Awaitable[Any]:
    """`run` (graphql-core's execution of one root field) inside a span named `name`."""
    tracer = spans.tracer
    if tracer is None:
        return run()
    span = tracer.start_span(name)
    token = attach(span)
    try:
        result = run()
    except BaseException:
        span.end()
        raise
    finally:
        detach(token)
    if is_awaitable(result):
        return _ended_after(span, result)
    span.end()
    return result


async def _ended_after(span: Span, awaitable: Any) -> Any:
    # The resolver's coroutine starts only here: its database calls and
    # publishes run under the field's span.
    with trace.use_span(span, end_on_exit=True):
        return await awaitable
