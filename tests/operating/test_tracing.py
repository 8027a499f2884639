"""With tracing on, a query, a mutation and a subscription each produce their spans.

The spans go to OpenTelemetry's in-memory exporter: one per operation, named
by its type and name, a child for its root field (whose resolver reaches the
database), and for the broadcast a mutation publishes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from schema.core import tracing
from tests.live import LiveServer, connect
from tests.messaging import conftest as live
from tests.people import Person
from tests.support import client_operations

anon, chat, clock, mentee, mentor, server, settings = (
    live.anon,
    live.chat,
    live.clock,
    live.mentee,
    live.mentor,
    live.server,
    live.settings,
)
OPS = client_operations()


@pytest.fixture
def exported() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.install(provider)
    try:
        yield exporter
    finally:
        tracing.install(None)
        provider.shutdown()


def _named(spans: tuple[ReadableSpan, ...], name: str) -> list[ReadableSpan]:
    return [span for span in spans if span.name == name]


def _children(spans: tuple[ReadableSpan, ...], parent: ReadableSpan) -> list[str]:
    assert parent.context is not None
    return [
        span.name
        for span in spans
        if span.parent is not None and span.parent.span_id == parent.context.span_id
    ]


async def test_a_query_has_its_span_and_its_resolvers(
    exported: InMemorySpanExporter, mentee: Person, chat: str
) -> None:
    exported.clear()
    reply = await mentee.client.query(OPS["MyRelationships"], operationName="MyRelationships")
    assert "errors" not in reply.body

    spans = exported.get_finished_spans()
    [operation] = _named(spans, "query MyRelationships")
    assert operation.kind is SpanKind.SERVER
    assert "Query.myRelationships" in _children(spans, operation)


async def test_a_mutation_has_its_span_its_resolver_and_the_broadcast(
    exported: InMemorySpanExporter, mentee: Person, chat: str
) -> None:
    exported.clear()
    reply = await mentee.client.query(
        OPS["SendMessage"],
        {"input": {"relationshipId": chat, "body": "Hello"}},
        operationName="SendMessage",
    )
    assert "errors" not in reply.body

    spans = exported.get_finished_spans()
    [operation] = _named(spans, "mutation SendMessage")
    assert _children(spans, operation) == ["Mutation.sendMessage"]
    [field] = _named(spans, "Mutation.sendMessage")
    assert "broadcast publish" in _children(spans, field)
    # The channel's kind, never a conversation's id.
    published = [s for s in spans if s.name == "broadcast publish"]
    assert {(s.attributes or {}).get("channel") for s in published} <= {"conversation", "user"}


async def test_a_subscription_has_its_span_and_one_child_per_event(
    exported: InMemorySpanExporter, server: LiveServer, mentor: Person, mentee: Person, chat: str
) -> None:
    async with connect(server, mentor.client.token) as socket:
        await socket.subscribe("sub", "MessageAdded", relationshipId=chat)
        await asyncio.sleep(0.2)  # listening before the message goes out
        for body in ("one", "two"):
            await mentee.client.op("SendMessage", input={"relationshipId": chat, "body": body})
            assert (await socket.next_data("sub"))["messageAdded"]["body"] == body
        await socket.send({"id": "sub", "type": "complete"})
        for _ in range(100):  # the span ends with the stream, on the server's side
            if _named(exported.get_finished_spans(), "subscription MessageAdded"):
                break
            await asyncio.sleep(0.05)

    spans = exported.get_finished_spans()
    [operation] = _named(spans, "subscription MessageAdded")
    assert operation.kind is SpanKind.SERVER
    assert _children(spans, operation).count("Subscription.messageAdded") == 2
