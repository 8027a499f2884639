"""Query limits: depth, aliases, tokens and cost are refused before any resolver runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import strawberry
from graphql import get_introspection_query

from app import Settings, create_app
from schema import MentoringSchema
from schema.core.limits import (
    DEFAULT_LIST_SIZE,
    MAX_ALIASES,
    MAX_COST,
    MAX_DEPTH,
    MAX_TOKENS,
)
from tests.support import Client, running, settings_for

GRAPHQL_RESPONSE = "application/graphql-response+json"


@strawberry.type
class Node:
    @strawberry.field
    def child(self) -> Node:
        return Node()

    @strawberry.field
    def children(self, first: int | None = None) -> list[Node]:
        return [Node() for _ in range(min(first or 2, 2))]

    @strawberry.field
    def name(self) -> str:
        return "node"


@strawberry.type
class NodeQuery:
    @strawberry.field
    def touch(self, info: strawberry.Info) -> Node:
        # The visible side effect: a refused operation never gets here.
        info.context["touched"].append("resolver ran")
        return Node()


# The app's pipeline (and so its limits) over a type that nests without end.
NODE_SCHEMA = MentoringSchema(query=NodeQuery)


def nested(field: str, depth: int) -> str:
    return "{ touch { " + f"{field} {{ " * depth + "name" + " }" * depth + " } }"


async def refused(document: str, variables: dict[str, Any] | None = None) -> list[str]:
    touched: list[str] = []
    result = await NODE_SCHEMA.execute(
        document, variable_values=variables, context_value={"touched": touched}
    )
    assert result.errors, f"expected a refusal of {document[:80]}"
    assert [error.extensions for error in result.errors] == [{"code": "QUERY_TOO_COMPLEX"}]
    assert result.data is None
    return touched


async def accepted(document: str, variables: dict[str, Any] | None = None) -> list[str]:
    touched: list[str] = []
    result = await NODE_SCHEMA.execute(
        document, variable_values=variables, context_value={"touched": touched}
    )
    assert result.errors is None
    return touched


async def test_depth_at_the_limit_runs_and_one_more_level_is_refused_unresolved() -> None:
    # `touch` is the first level: MAX_DEPTH - 1 `child` levels below it reach the limit.
    assert await accepted(nested("child", MAX_DEPTH - 1)) == ["resolver ran"]

    assert await refused(nested("child", MAX_DEPTH + 1)) == []


async def test_depth_counts_through_fragments() -> None:
    fragment = "fragment Deep on Node { " + "child { " * MAX_DEPTH + "name" + " }" * MAX_DEPTH
    document = "{ touch { ...Deep } } " + fragment + " }"

    assert await refused(document) == []


async def test_cost_multiplies_page_sizes_down_the_selection() -> None:
    # touch (1) + children (1) + 80 names = 82: well within.
    assert await accepted("{ touch { children(first: 80) { name } } }")

    # touch, children, 80 x children, then 80 x 80 names: 6,482.
    document = "{ touch { children(first: 80) { children(first: 80) { name } } } }"
    assert MAX_COST < 1 + 1 + 80 + 80 * 80
    assert await refused(document) == []


async def test_cost_reads_page_sizes_from_variables() -> None:
    document = "query($n: Int) { touch { children(first: $n) { children(first: $n) { name } } } }"

    assert await accepted(document, {"n": 5})
    assert await refused(document, {"n": 80}) == []
    # Each page size is judged on its own, whatever came before.
    assert await accepted(document, {"n": 5})


async def test_lists_without_a_page_size_cost_the_default_size() -> None:
    # Four nested default-sized lists: 10^4 names alone exceed the budget.
    assert DEFAULT_LIST_SIZE**4 > MAX_COST
    assert await refused(nested("children", 4)) == []
    assert await accepted(nested("children", 3))


async def test_nodes_costs_what_it_selects_once_per_id(anon: Client) -> None:
    # Each Relationship's page of 100 messages costs about 400: a few ids pass,
    # more than MAX_COST allows are refused, whatever a list's default size.
    document = (
        "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Relationship"
        " { messages(last: 100) { edges { node { id body } } } } } }"
    )
    few, many = ["a"] * 5, ["a"] * 20

    assert (await anon.query(document, {"ids": few})).data == {"nodes": [None] * 5}
    assert (await anon.query(document, {"ids": many})).code == "QUERY_TOO_COMPLEX"


async def test_aliases_over_the_limit_are_refused(anon: Client) -> None:
    within = "{ " + " ".join(f"a{i}: viewer {{ id }}" for i in range(MAX_ALIASES)) + " }"
    over = "{ " + " ".join(f"a{i}: viewer {{ id }}" for i in range(MAX_ALIASES + 1)) + " }"

    assert (await anon.query(within)).data["a0"] is None
    assert (await anon.query(over)).code == "QUERY_TOO_COMPLEX"


async def test_a_document_over_the_token_limit_is_refused_before_parsing(anon: Client) -> None:
    document = "{ viewer { " + "id " * MAX_TOKENS + "} }"

    reply = await anon.query(document)

    assert reply.code == "QUERY_TOO_COMPLEX"
    assert "tokens" in reply.errors[0]["message"]


async def test_too_complex_is_a_400_request_error_for_graphql_response_json(anon: Client) -> None:
    over = "{ " + " ".join(f"a{i}: viewer {{ id }}" for i in range(MAX_ALIASES + 1)) + " }"

    reply = await anon.http.post(
        "/graphql", json={"query": over}, headers={"accept": GRAPHQL_RESPONSE}
    )

    assert reply.status_code == 400
    assert "data" not in reply.json()
    assert reply.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


@pytest.mark.parametrize(
    "options",
    [
        {"descriptions": True},
        # What GraphiQL 3 and 4 ask for, and more.
        {
            "descriptions": True,
            "specified_by_url": True,
            "directive_is_repeatable": True,
            "schema_description": True,
            "input_value_deprecation": True,
            "one_of": True,
        },
    ],
)
async def test_graphiqls_introspection_query_passes_the_limits(
    anon: Client, options: dict[str, bool]
) -> None:
    reply = await anon.http.post(
        "/graphql",
        json={"query": get_introspection_query(**options), "operationName": "IntrospectionQuery"},
        headers={"accept": f"{GRAPHQL_RESPONSE}, application/json;q=0.9"},
    )

    assert reply.status_code == 200
    types = {entry["name"] for entry in reply.json()["data"]["__schema"]["types"]}
    assert {"Query", "Mutation", "Mentor", "Topic"} <= types


async def test_two_introspection_queries_under_aliases_are_refused(anon: Client) -> None:
    body = get_introspection_query().split("fragment", 1)
    selection = body[0].split("__schema", 1)[1].rsplit("}", 1)[0]
    document = (
        "query { a: __schema" + selection + " b: __schema" + selection + "} fragment" + body[1]
    )

    assert (await anon.query(document)).code == "QUERY_TOO_COMPLEX"


async def _app_reply(tmp_path: Path, document: str, **settings: Any) -> httpx.Response:
    app = create_app(settings_for(tmp_path, **settings))
    async with running(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            return await http.post("/graphql", json={"query": document})


async def test_introspection_can_be_switched_off_while_typename_still_works(
    tmp_path: Path,
) -> None:
    off = await _app_reply(tmp_path, "{ __schema { types { name } } }", introspection=False)
    typename = await _app_reply(tmp_path, "{ __typename }", introspection=False)

    assert off.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "data" not in off.json()
    assert typename.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    "document",
    [
        "{ viewr { id } }",  # a field
        '{ mentor(idd: "1") { id } }',  # an argument
        "query($t: Topc) { viewer { id } }",  # a type
        'mutation { saveMentorProfile(input: {headlin: "x"}) { id } }',  # an input field
        "mutation { saveMentorProfile(input: {topics: [CAREER_PLANING]}) { id } }",  # an enum value
    ],
)
async def test_field_suggestions_can_be_switched_off(tmp_path: Path, document: str) -> None:
    with_hints = await _app_reply(tmp_path, document)
    without = await _app_reply(tmp_path, document, field_suggestions=False)

    assert "Did you mean" in with_hints.text
    assert "Did you mean" not in without.text
    assert without.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_introspection_and_suggestions_are_read_from_the_environment() -> None:
    defaults = Settings.from_env({})
    production = Settings.from_env({"INTROSPECTION": "false", "FIELD_SUGGESTIONS": "0"})

    assert (defaults.introspection, defaults.field_suggestions) == (True, True)
    assert (production.introspection, production.field_suggestions) == (False, False)


def doubling_fragments(levels: int, leaf: str) -> str:
    """Each fragment spreads the next twice: the leaf appears 2**levels times."""
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    return "{ ...F0 } " + " ".join([*fragments, f"fragment F{levels} on Query {{ {leaf} }}"])


async def test_fragments_spread_many_times_over_are_measured_once_each(anon: Client) -> None:
    # 2**40 uses of one alias: walking every path would never finish; measuring
    # each fragment once answers at once, counting every use.
    aliases = await anon.query(doubling_fragments(40, "a: __typename"))
    cost = await anon.query(doubling_fragments(40, "viewer { id }"))

    assert aliases.code == "QUERY_TOO_COMPLEX"
    assert "aliases" in aliases.errors[0]["message"]
    assert cost.code == "QUERY_TOO_COMPLEX"
    assert "too much" in cost.errors[0]["message"]
