"""The tracer the runtime's own spans use (root fields, the broadcast); None while tracing is off.

The app sets it when OpenTelemetry is configured (`schema.core.tracing`).
Off, a caller's check of `tracer is None` is all tracing costs.
"""

from __future__ import annotations

from opentelemetry.trace import Tracer

tracer: Tracer | None = None


def use(new: Tracer | None) -> None:
    global tracer
    tracer = new
