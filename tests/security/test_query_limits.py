"""Every query limit holds on both paths, and answers QUERY_TOO_COMPLEX on both.

Queries and mutations over HTTP run through `schema.core.documents`; operations
over WebSocket through Strawberry's extensions. Each refusal is checked on
both, over a real uvicorn and a real graphql-transport-ws socket.
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLObjectType

import schema
from schema.core.compat_strawberry import graphql_schema
from schema.core.limits import DEFAULT_PAGE_SIZES, MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
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

NODE = "edges { node { id displayName headline } }"


def searches(page: str, head: str = "") -> str:
    """15 aliased searches: 1,500 mentors when each page is 100."""
    fields = " ".join(f"a{n}: searchMentors({page}) {{ {NODE} }}" for n in range(MAX_ALIASES))
    return f"query {head} {{ {fields} }}"


# The same 1,500 mentors, however the page size arrives.
PAGE_SIZES: dict[str, tuple[str, dict[str, Any]]] = {
    "literal": (searches("first: 100"), {}),
    "variable": (searches("first: $n", "($n: Int)"), {"n": 100}),
    "variable default": (searches("first: $n", "($n: Int = 100)"), {}),
    "non-null variable default": (searches("first: $n", "($n: Int! = 100)"), {}),
}

# Every conversation's messages, twice: omitted, `last` is the resolver's
# default page of 50 (not the 10 assumed of a list without a page size).
CONVERSATIONS = "myRelationships { messages { edges { node { id body sentAt cursor } } } }"
DEFAULT_PAGES: dict[str, tuple[str, dict[str, Any]]] = {
    "omitted": (f"{{ a: {CONVERSATIONS} b: {CONVERSATIONS} }}", {}),
    "null": (
        "query($n: Int) { a: "
        + CONVERSATIONS.replace("messages", "messages(last: $n)")
        + " b: "
        + CONVERSATIONS.replace("messages", "messages(last: $n)")
        + " }",
        {"n": None},
    ),
}


def introspection(depth: int) -> str:
    return (
        '{ __type(name: "Query") { ' + "fields { type { " * depth + "name" + " } }" * depth + " } }"
    )


def nested(depth: int) -> str:
    # No type of the schema nests deeper than the limit, so the document is
    # invalid too: the depth refusal comes first, beside the unknown fields.
    return "{ " + "viewer { " * depth + "id" + " }" * depth + " }"


LIMITS: dict[str, str] = {
    "depth": nested(MAX_DEPTH + 1),
    "aliases": "{ " + " ".join(f"a{n}: viewer {{ id }}" for n in range(MAX_ALIASES + 1)) + " }",
    "tokens": "{ " + "viewer { id } " * (MAX_TOKENS // 4) + "}",
    "cost": PAGE_SIZES["literal"][0],
    "introspection depth": introspection(40),
}


async def over_http(person: Person, document: str, variables: dict[str, Any]) -> dict[str, Any]:
    reply = await person.client.query(document, variables)
    assert reply.status == 200
    return reply.body


async def over_websocket(
    server: LiveServer, person: Person, document: str, variables: dict[str, Any]
) -> dict[str, Any]:
    async with connect(server, person.client.token) as socket:
        payload = {"query": document, "variables": variables}
        await socket.send({"id": "q", "type": "subscribe", "payload": payload})
        answer = await socket.receive()
    if answer["type"] == "error":
        return {"errors": answer["payload"]}
    assert answer["type"] == "next", answer
    body: dict[str, Any] = answer["payload"]
    return body


def assert_too_complex(body: dict[str, Any], *, alone: bool = True) -> None:
    assert body.get("data") is None, body
    codes = [error["extensions"]["code"] for error in body["errors"]]
    assert codes[0] == "QUERY_TOO_COMPLEX", body["errors"]
    if alone:
        assert set(codes) == {"QUERY_TOO_COMPLEX"}, body["errors"]


@pytest.mark.parametrize("how", PAGE_SIZES)
async def test_page_sizes_count_from_literals_variables_and_their_defaults(
    server: LiveServer, mentee: Person, how: str
) -> None:
    document, variables = PAGE_SIZES[how]

    assert_too_complex(await over_http(mentee, document, variables))
    assert_too_complex(await over_websocket(server, mentee, document, variables))


@pytest.mark.parametrize("how", DEFAULT_PAGES)
async def test_an_omitted_page_size_counts_the_page_the_field_serves(
    server: LiveServer, mentee: Person, how: str
) -> None:
    document, variables = DEFAULT_PAGES[how]

    assert_too_complex(await over_http(mentee, document, variables))
    assert_too_complex(await over_websocket(server, mentee, document, variables))


async def test_a_variable_default_is_remembered_apart_from_an_explicit_null(
    mentee: Person,
) -> None:
    """The cost of a document is kept per variable values: absent is not null."""
    document = searches("first: $n", "($n: Int = 100)")

    explicit_null = await over_http(mentee, document, {"n": None})
    absent = await over_http(mentee, document, {})

    assert "errors" not in explicit_null, explicit_null
    assert_too_complex(absent)


@pytest.mark.parametrize("limit", LIMITS)
async def test_every_limit_answers_query_too_complex_on_both_paths(
    server: LiveServer, mentee: Person, limit: str
) -> None:
    document = LIMITS[limit]
    alone = limit != "depth"

    assert_too_complex(await over_http(mentee, document, {}), alone=alone)
    assert_too_complex(await over_websocket(server, mentee, document, {}), alone=alone)


async def test_introspection_within_its_depth_still_runs(mentee: Person) -> None:
    body = await over_http(mentee, introspection(2), {})

    assert "errors" not in body, body
    assert body["data"]["__type"]["fields"]


def test_every_paged_field_says_what_page_it_serves_by_default() -> None:
    """A new paged field must name its default page, or the cost would assume 10."""
    paged = {
        (type_.name, name)
        for type_ in graphql_schema(schema.schema).type_map.values()
        if isinstance(type_, GraphQLObjectType) and not type_.name.startswith("__")
        for name, field in type_.fields.items()
        if set(field.args) & {"first", "last"}
    }

    assert paged == set(DEFAULT_PAGE_SIZES)
