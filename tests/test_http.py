"""GraphQL over HTTP: media types, status codes, methods, and refusals of malformed requests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import create_app
from schema.core.errors import GENERIC_MESSAGE
from schema.core.limits import MAX_BODY_BYTES
from tests.support import Client, settings_for

GRAPHQL_RESPONSE = "application/graphql-response+json"
PREFERS_GRAPHQL_RESPONSE = f"{GRAPHQL_RESPONSE}, application/json;q=0.9"


async def post(
    anon: Client, body: object, accept: str | None = None
) -> tuple[int, dict[str, Any], str]:
    headers = {"accept": accept} if accept else {}
    reply = await anon.http.post("/graphql", json=body, headers=headers)
    return reply.status_code, reply.json(), reply.headers["content-type"]


REQUEST_ERRORS = {
    "syntax": {"query": "{ viewer { id "},
    "validation": {"query": "{ nope }"},
    "coercion": {"query": "query($id: ID!) { mentor(id: $id) { id } }", "variables": {"id": []}},
    "missing variable": {"query": "query($id: ID!) { mentor(id: $id) { id } }"},
}
# A document the client got wrong is its bug, not a bad form value.
REQUEST_ERROR_CODES = {
    "syntax": "GRAPHQL_PARSE_FAILED",
    "validation": "GRAPHQL_VALIDATION_FAILED",
    "coercion": "BAD_USER_INPUT",
    "missing variable": "BAD_USER_INPUT",
}


@pytest.mark.parametrize("case", sorted(REQUEST_ERRORS))
async def test_request_errors_are_400_without_data_in_graphql_response_json(
    anon: Client, case: str
) -> None:
    status, body, content_type = await post(anon, REQUEST_ERRORS[case], PREFERS_GRAPHQL_RESPONSE)

    assert status == 400
    assert content_type.startswith(GRAPHQL_RESPONSE)
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == REQUEST_ERROR_CODES[case]


@pytest.mark.parametrize("case", sorted(REQUEST_ERRORS))
async def test_request_errors_are_200_for_application_json_clients(anon: Client, case: str) -> None:
    status, body, content_type = await post(anon, REQUEST_ERRORS[case], "application/json")

    assert status == 200
    assert content_type.startswith("application/json")
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == REQUEST_ERROR_CODES[case]


async def test_a_field_error_keeps_data_and_status_200_in_graphql_response_json(
    anon: Client,
) -> None:
    status, body, _ = await post(anon, {"query": "mutation { logout }"}, GRAPHQL_RESPONSE)

    assert status == 200
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (PREFERS_GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", "application/json"),
    ],
)
async def test_the_response_media_type_follows_the_accept_header(
    anon: Client, accept: str | None, media_type: str
) -> None:
    status, body, content_type = await post(anon, {"query": "{ __typename }"}, accept)

    assert status == 200
    assert content_type == f"{media_type}; charset=utf-8"
    assert body == {"data": {"__typename": "Query"}}


async def test_a_client_that_accepts_neither_media_type_gets_406(anon: Client) -> None:
    reply = await anon.http.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"accept": "text/csv"}
    )

    assert reply.status_code == 406
    assert reply.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
async def test_post_bodies_other_than_json_get_415(anon: Client, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}

    reply = await anon.http.post("/graphql", content=b'{"query":"{ __typename }"}', headers=headers)

    assert reply.status_code == 415
    assert reply.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_mutation_over_get_is_405_and_names_the_allowed_method(anon: Client) -> None:
    reply = await anon.http.get("/graphql", params={"query": "mutation { logout }"})

    assert reply.status_code == 405
    assert reply.headers["allow"] == "POST"
    assert reply.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_other_methods_are_405_with_allow(anon: Client) -> None:
    reply = await anon.http.put("/graphql", json={"query": "{ __typename }"})

    assert reply.status_code == 405
    assert "POST" in reply.headers["allow"]


async def test_batched_requests_are_refused_with_a_clear_400(anon: Client) -> None:
    batch = [{"query": "{ __typename }"}, {"query": "{ __typename }"}]

    status, body, _ = await post(anon, batch)

    assert status == 400
    assert "Batched requests" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    "body",
    [b"{", b'{"query": "{ __typename }"', b"\xff\xfe", b'{"query": "\\ud800"}', b"null", b"42"],
)
async def test_malformed_json_is_a_400_with_a_code_and_no_internals(
    anon: Client, body: bytes
) -> None:
    reply = await anon.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    assert reply.status_code == 400
    error = reply.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    for internal in ("Traceback", "orjson", "json.decoder", "line 1 column"):
        assert internal not in error["message"]


async def test_a_body_declared_over_the_limit_is_refused_with_413(anon: Client) -> None:
    padding = "x" * MAX_BODY_BYTES
    reply = await anon.http.post("/graphql", json={"query": "{ __typename }", "padding": padding})

    assert reply.status_code == 413
    assert reply.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_streamed_body_is_counted_and_refused_past_the_limit(anon: Client) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ __typename }", "padding": "'
        for _ in range(MAX_BODY_BYTES // 1024 + 10):
            sent.append(1024)
            yield b"x" * 1024
        yield b'"}'

    reply = await anon.http.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )

    assert "content-length" not in reply.request.headers
    assert reply.status_code == 413


async def test_a_body_just_under_the_limit_is_served(anon: Client) -> None:
    padding = "x" * (MAX_BODY_BYTES - 100)
    reply = await anon.http.post(
        "/graphql", json={"query": "{ __typename }", "extensions": {"padding": padding}}
    )

    assert reply.status_code == 200
    assert reply.json() == {"data": {"__typename": "Query"}}


async def test_an_unexpected_failure_outside_graphql_is_a_generic_500_with_a_code(
    tmp_path: Path,
) -> None:
    # Not started: the services the view needs do not exist yet, so it fails.
    app = create_app(settings_for(tmp_path))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        reply = await http.post("/graphql", json={"query": "{ __typename }"})

    assert reply.status_code == 500
    assert reply.json() == {
        "errors": [{"message": GENERIC_MESSAGE, "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]
    }
