"""One pipeline: every policy holds for queries, mutations and subscriptions alike.

Each policy of `schema.core.pipeline` (the limits, error masking) is sent each
operation type over each transport that carries it: queries and mutations
over HTTP and WebSocket, subscriptions over WebSocket. A policy that came
back as an extension of Strawberry's own pipeline, or a second execution
path, would miss one of them and fail here.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import pytest
import strawberry

from schema import MentoringSchema, configured_schema
from schema.core.limits import MAX_ALIASES, MAX_TOKENS
from tests.live import LiveServer, connect
from tests.messaging import conftest as live
from tests.people import Person

# The messaging tests' fixtures: a live server, two people, their conversation.
anon, chat, clock, mentee, mentor, server, settings = (
    live.anon,
    live.chat,
    live.clock,
    live.mentee,
    live.mentor,
    live.server,
    live.settings,
)

ALIASES = MAX_ALIASES + 1
# As many pages of 100 messages as aliases allow: over the cost limit.
PAGES = " ".join(
    f"a{n}: messages(last: 100) {{ edges {{ cursor node {{ id body sentAt }} }} }}"
    for n in range(MAX_ALIASES)
)
# Each document is valid but for the one limit it breaks.
OVER_THE_LIMITS: dict[tuple[str, str], str] = {
    ("aliases", "query"): "{ " + " ".join(f"a{n}: viewer {{ id }}" for n in range(ALIASES)) + " }",
    ("aliases", "mutation"): "mutation { "
    + " ".join(f"a{n}: logout" for n in range(ALIASES))
    + " }",
    ("aliases", "subscription"): "subscription { viewerEvents { "
    + " ".join(f"a{n}: kind" for n in range(ALIASES))
    + " } }",
    ("tokens", "query"): "{ viewer { " + "id " * MAX_TOKENS + "} }",
    ("tokens", "mutation"): "mutation { " + "logout " * MAX_TOKENS + "}",
    ("tokens", "subscription"): "subscription { viewerEvents { " + "kind " * MAX_TOKENS + "} }",
    ("cost", "query"): "{ myRelationships { " + PAGES + " } }",
    ("cost", "mutation"): 'mutation($id: ID!) { markMessagesRead(relationshipId: $id, upTo: "") { '
    + PAGES
    + " } }",
    ("cost", "subscription"): "subscription { viewerEvents { relationship { " + PAGES + " } } }",
}
# Which transports carry each operation type.
TRANSPORTS: dict[str, tuple[str, ...]] = {
    "query": ("http", "websocket"),
    "mutation": ("http", "websocket"),
    "subscription": ("websocket",),
}

CASES = [
    (limit, kind, transport) for (limit, kind) in OVER_THE_LIMITS for transport in TRANSPORTS[kind]
]


async def over_http(person: Person, document: str) -> dict[str, Any]:
    reply = await person.client.query(document, {"id": "1"})
    body: dict[str, Any] = reply.body
    return body


async def over_websocket(server: LiveServer, person: Person, document: str) -> dict[str, Any]:
    async with connect(server, person.client.token) as socket:
        payload = {"query": document, "variables": {"id": "1"}}
        await socket.send({"id": "op", "type": "subscribe", "payload": payload})
        answer = await socket.receive()
    if answer["type"] == "error":
        return {"errors": answer["payload"]}
    assert answer["type"] == "next", answer
    body: dict[str, Any] = answer["payload"]
    return body


@pytest.mark.parametrize(("limit", "kind", "transport"), CASES)
async def test_every_limit_refuses_every_operation_type_on_every_transport(
    server: LiveServer, mentee: Person, limit: str, kind: str, transport: str
) -> None:
    document = OVER_THE_LIMITS[limit, kind]

    if transport == "http":
        body = await over_http(mentee, document)
    else:
        body = await over_websocket(server, mentee, document)

    assert body.get("data") is None, body
    assert [error["extensions"]["code"] for error in body["errors"]] == ["QUERY_TOO_COMPLEX"]


# ---------------------------------------------------------------- error masking

SECRET = "the database password is hunter2"


def _fail() -> str:
    raise RuntimeError(SECRET)


@strawberry.type
class Query:
    @strawberry.field
    def fails(self) -> str:
        return _fail()


@strawberry.type
class Mutation:
    @strawberry.mutation
    def fails(self) -> str:
        return _fail()


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def fails(self) -> AsyncGenerator[str, None]:
        yield _fail()

    @strawberry.subscription
    async def fails_to_start(self) -> AsyncGenerator[str, None]:
        _fail()
        yield "never"


FAILING = MentoringSchema(query=Query, mutation=Mutation, subscription=Subscription)


async def _errors_of_stream(document: str) -> list[Any]:
    errors: list[Any] = []
    async for result in await FAILING.stream(document):
        errors += result.errors or []
    return errors


@pytest.mark.parametrize(
    "document",
    [
        "{ fails }",
        "mutation { fails }",
        "subscription { fails }",
        "subscription { failsToStart }",
    ],
)
async def test_an_unexpected_failure_is_masked_in_every_operation_type(
    document: str, caplog: pytest.LogCaptureFixture
) -> None:
    errors = await _errors_of_stream(document)
    if not document.startswith("subscription"):
        executed = await FAILING.execute(document)
        errors += executed.errors or []

    assert errors
    for error in errors:
        assert error.extensions == {"code": "INTERNAL_SERVER_ERROR"}
        assert SECRET not in error.message
    assert SECRET in caplog.text  # the detail is logged, for the operator


@pytest.mark.parametrize("introspection", [True, False])
def test_the_schema_has_no_extensions_that_would_run_on_one_path_only(
    introspection: bool,
) -> None:
    served = configured_schema(introspection=introspection, field_suggestions=True)

    assert list(served.extensions) == []
