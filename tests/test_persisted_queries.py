"""Automatic persisted queries (Apollo's protocol) and trusted documents, over HTTP."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from graphql import OperationDefinitionNode, parse
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app import Settings, SettingsError, create_app
from resolvers.persisted_documents import (
    MAX_DOCUMENT_BYTES,
    REDIS_PREFIX,
    REDIS_TTL_SECONDS,
    MemoryDocuments,
)
from resolvers.ratelimit import POLICIES
from schema import MentoringSchema, configured_schema
from schema.core.trusted_documents import TrustedDocuments, manifest_of
from tests.servers import require
from tests.support import CLIENT_OPERATIONS, ROOT, NoRateLimits, running, settings_for

VIEWER = "query Viewer { viewer { id } }"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
APOLLO_ACCEPT = "application/graphql-response+json,application/json;q=0.9"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(sha: str, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": sha}}


def by_hash(text: str, **more: Any) -> dict[str, Any]:
    """What Apollo's PersistedQueryLink sends first: the hash, no text."""
    return {"extensions": persisted(sha256(text)), **more}


def with_text(text: str, **more: Any) -> dict[str, Any]:
    """What it sends after PERSISTED_QUERY_NOT_FOUND: the text and its hash."""
    return {"query": text, "extensions": persisted(sha256(text)), **more}


def unique(text: str) -> str:
    """The document with a comment no other test sends: a hash of its own."""
    return f"# {uuid.uuid4()}\n{text}"


async def _client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api.test")


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with await _client(app) as client:
        yield client


def code_of(reply: httpx.Response) -> str:
    code: str = reply.json()["errors"][0]["extensions"]["code"]
    return code


# Automatic persisted queries


async def test_an_unknown_hash_asks_the_client_for_the_text(http: httpx.AsyncClient) -> None:
    reply = await http.post("/graphql", json=by_hash(VIEWER))

    assert reply.status_code == 200
    assert reply.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }
    assert reply.headers["cache-control"] == "private, no-cache, must-revalidate"


async def test_a_graphql_response_client_gets_the_same_as_a_request_error(
    http: httpx.AsyncClient,
) -> None:
    reply = await http.post("/graphql", json=by_hash(VIEWER), headers={"accept": APOLLO_ACCEPT})

    # Apollo's link reads the errors of a 4xx body too, and resends.
    assert reply.status_code == 400
    assert code_of(reply) == "PERSISTED_QUERY_NOT_FOUND"


async def test_the_text_sent_with_its_hash_runs_and_registers_it(http: httpx.AsyncClient) -> None:
    registered = await http.post("/graphql", json=with_text(VIEWER))
    again = await http.post("/graphql", json=by_hash(VIEWER))

    assert registered.json() == {"data": {"viewer": None}}
    assert again.json() == {"data": {"viewer": None}}


async def test_a_registered_query_runs_by_hash_over_get_with_variables(
    http: httpx.AsyncClient,
) -> None:
    document = "query Hello($yes: Boolean!) { __typename @include(if: $yes) }"
    params = {"extensions": orjson.dumps(persisted(sha256(document))).decode()}
    params["variables"] = '{"yes": true}'

    unknown = await http.get("/graphql", params=params, headers={"accept": "*/*"})
    await http.post("/graphql", json=with_text(document, variables={"yes": False}))
    known = await http.get("/graphql", params=params, headers={"accept": "*/*"})

    # Not GraphiQL: a GET without `query` may name its document by hash.
    assert code_of(unknown) == "PERSISTED_QUERY_NOT_FOUND"
    assert known.json() == {"data": {"__typename": "Query"}}


async def test_a_mutation_by_hash_over_get_is_still_refused(http: httpx.AsyncClient) -> None:
    mutation = "mutation { logout }"
    await http.post("/graphql", json=with_text(mutation))

    params = {"extensions": orjson.dumps(persisted(sha256(mutation))).decode()}
    reply = await http.get("/graphql", params=params)

    assert reply.status_code == 405
    assert reply.headers["allow"] == "POST"


async def test_a_text_under_another_texts_hash_is_refused_and_not_filed(
    http: httpx.AsyncClient,
) -> None:
    hijack = {"query": "{ __typename }", "extensions": persisted(sha256(VIEWER))}

    refused = await http.post("/graphql", json=hijack)
    later = await http.post("/graphql", json=by_hash(VIEWER))

    assert code_of(refused) == "BAD_USER_INPUT"
    assert refused.json()["errors"][0]["message"] == "provided sha does not match query"
    assert "data" not in refused.json()
    assert code_of(later) == "PERSISTED_QUERY_NOT_FOUND"


async def test_only_a_document_that_validates_is_filed(http: httpx.AsyncClient) -> None:
    invalid = "{ nope }"

    refused = await http.post("/graphql", json=with_text(invalid))
    later = await http.post("/graphql", json=by_hash(invalid))

    assert code_of(refused) == "GRAPHQL_VALIDATION_FAILED"
    assert code_of(later) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "extensions",
    [
        persisted(sha256(VIEWER), version=2),
        {"persistedQuery": {"version": 1}},
        {"persistedQuery": "abc"},
    ],
)
async def test_a_malformed_persisted_query_is_bad_input(
    http: httpx.AsyncClient, extensions: dict[str, Any]
) -> None:
    reply = await http.post("/graphql", json={"extensions": extensions})

    assert code_of(reply) == "BAD_USER_INPUT"
    assert reply.json()["errors"][0]["extensions"]["field"] == "extensions.persistedQuery"


async def test_other_extensions_leave_the_text_to_run_as_it_is(http: httpx.AsyncClient) -> None:
    # Apollo Client 4 names itself in extensions.clientLibrary.
    body = {"query": VIEWER, "extensions": {"clientLibrary": {"name": "@apollo/client"}}}

    reply = await http.post("/graphql", json=body)

    assert reply.json() == {"data": {"viewer": None}}


async def test_a_document_run_by_hash_is_neither_parsed_nor_validated_again(
    http: httpx.AsyncClient,
) -> None:
    document = unique("{ __typename }")
    await http.post("/graphql", json=with_text(document))
    served = configured_schema(introspection=True, field_suggestions=True)
    assert isinstance(served, MentoringSchema)
    checked = served.pipeline.documents.get
    misses = checked.cache_info().misses

    for _ in range(3):
        assert (await http.post("/graphql", json=by_hash(document))).json() == {
            "data": {"__typename": "Query"}
        }

    assert checked.cache_info().misses == misses


async def test_a_document_too_large_to_file_still_runs_by_text(http: httpx.AsyncClient) -> None:
    padded = f"# {'x' * MAX_DOCUMENT_BYTES}\n{{ __typename }}"

    ran = await http.post("/graphql", json=with_text(padded))
    later = await http.post("/graphql", json=by_hash(padded))

    assert ran.json() == {"data": {"__typename": "Query"}}
    assert code_of(later) == "PERSISTED_QUERY_NOT_FOUND"


async def test_one_address_files_a_bounded_number_of_documents(tmp_path: Path) -> None:
    share = POLICIES.persisted_documents_per_address.limit
    documents = [f"query Q{n} {{ __typename }}" for n in range(share + 1)]
    # The service's own rate limiter, in memory.
    async with running(create_app(settings_for(tmp_path))) as app, await _client(app) as http:
        for document in documents:
            ran = await http.post("/graphql", json=with_text(document))
            assert ran.json() == {"data": {"__typename": "Query"}}
        first = await http.post("/graphql", json=by_hash(documents[0]))
        past_the_share = await http.post("/graphql", json=by_hash(documents[-1]))

    assert first.json() == {"data": {"__typename": "Query"}}
    assert code_of(past_the_share) == "PERSISTED_QUERY_NOT_FOUND"


# The store


def test_the_store_keeps_the_most_recently_used_within_its_count() -> None:
    store = MemoryDocuments(max_documents=2, max_bytes=1000)
    store.hold("a", "{ a }")
    store.hold("b", "{ b }")
    assert store.held("a") == "{ a }"  # now the most recent

    store.hold("c", "{ c }")

    assert (store.held("a"), store.held("b"), store.held("c")) == ("{ a }", None, "{ c }")


def test_the_store_keeps_within_its_bytes() -> None:
    store = MemoryDocuments(max_documents=100, max_bytes=20)
    store.hold("a", "x" * 8)
    store.hold("b", "ü" * 4)  # 8 bytes in UTF-8
    store.hold("c", "y" * 8)

    assert (store.held("a"), len(store), store.size) == (None, 2, 16)
    store.hold("huge", "z" * 21)
    assert store.held("huge") is None


@pytest.mark.services
async def test_a_document_registered_on_one_process_runs_by_hash_on_another(
    tmp_path: Path,
) -> None:
    await _require_redis()
    document = unique("query Shared { __typename }")
    one, other = (
        settings_for(tmp_path / name, broadcast_url=REDIS_URL, rate_limiter=NoRateLimits())
        for name in ("one", "other")
    )
    async with running(create_app(one)) as first, running(create_app(other)) as second:
        async with await _client(first) as http:
            await http.post("/graphql", json=with_text(document))
        async with await _client(second) as http:
            reply = await http.post("/graphql", json=by_hash(document))

    assert reply.json() == {"data": {"__typename": "Query"}}
    async with Redis.from_url(REDIS_URL) as redis:
        assert 0 < await redis.ttl(REDIS_PREFIX + sha256(document)) <= REDIS_TTL_SECONDS


async def _require_redis() -> None:
    try:
        async with Redis.from_url(REDIS_URL, socket_connect_timeout=1) as redis:
            reachable = bool(await redis.ping())
    except (RedisError, OSError):
        reachable = False
    require(reachable, f"Redis at {REDIS_URL}")


# Trusted documents


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "trusted-documents.json"
    path.write_bytes(orjson.dumps(manifest_of(CLIENT_OPERATIONS.read_text())))
    return path


@pytest.fixture
async def trusted_http(tmp_path: Path, manifest: Path) -> AsyncIterator[httpx.AsyncClient]:
    trusted = TrustedDocuments.load(manifest)
    settings = settings_for(tmp_path, rate_limiter=NoRateLimits(), trusted_documents=trusted)
    async with running(create_app(settings)) as app, await _client(app) as client:
        yield client


def listed(manifest: Path, name: str) -> str:
    for text in orjson.loads(manifest.read_bytes()).values():
        operation = parse(text).definitions[0]
        assert isinstance(operation, OperationDefinitionNode)
        assert operation.name is not None
        if operation.name.value == name:
            return str(text)
    raise AssertionError(f"{name} is not in the manifest")


async def test_a_listed_document_runs_by_hash_or_by_text(
    trusted_http: httpx.AsyncClient, manifest: Path
) -> None:
    text = listed(manifest, "Viewer")

    by_id = await trusted_http.post("/graphql", json=by_hash(text))
    by_text = await trusted_http.post("/graphql", json={"query": text})
    both = await trusted_http.post("/graphql", json=with_text(text))

    assert by_id.json() == by_text.json() == both.json() == {"data": {"viewer": None}}


async def test_an_unlisted_document_is_refused_whichever_way_it_comes(
    trusted_http: httpx.AsyncClient,
) -> None:
    unknown_hash = await trusted_http.post("/graphql", json=by_hash("{ __typename }"))
    unknown_text = await trusted_http.post("/graphql", json={"query": "{ __typename }"})
    registering = await trusted_http.post("/graphql", json=with_text("{ __typename }"))
    later = await trusted_http.post("/graphql", json=by_hash("{ __typename }"))

    assert code_of(unknown_hash) == code_of(later) == "PERSISTED_QUERY_NOT_FOUND"
    assert code_of(unknown_text) == code_of(registering) == "FORBIDDEN"


UNLISTED = ("{ __typename }", "mutation { logout }", "subscription { viewerEvents { kind } }")


def test_trusted_documents_hold_for_every_operation_type_over_websocket(
    tmp_path: Path, manifest: Path
) -> None:
    settings = settings_for(tmp_path, trusted_documents=TrustedDocuments.load(manifest))
    replies = []
    with (
        TestClient(create_app(settings)) as client,
        client.websocket_connect("/graphql", ["graphql-transport-ws"]) as socket,
    ):
        socket.send_json({"type": "connection_init"})
        assert socket.receive_json()["type"] == "connection_ack"
        for number, query in enumerate((*UNLISTED, listed(manifest, "Viewer"))):
            message = {"id": str(number), "type": "subscribe", "payload": {"query": query}}
            socket.send_json(message)
            replies.append(socket.receive_json())

    *unlisted, allowed = replies
    assert [reply["type"] for reply in unlisted] == ["error"] * len(UNLISTED)
    assert {reply["payload"][0]["extensions"]["code"] for reply in unlisted} == {"FORBIDDEN"}
    assert allowed["payload"] == {"data": {"viewer": None}}


def test_a_manifest_that_cannot_be_read_stops_the_start(tmp_path: Path) -> None:
    not_json = tmp_path / "bad.json"
    not_json.write_text("{ nope")
    not_documents = tmp_path / "list.json"
    not_documents.write_text('["{ viewer { id } }"]')

    for path in (tmp_path / "missing.json", not_json, not_documents):
        with pytest.raises(SettingsError, match="TRUSTED_DOCUMENTS"):
            Settings.from_env({"TRUSTED_DOCUMENTS": str(path)})


def test_apollos_manifest_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "persisted-query-manifest.json"
    operation = {"id": "abc", "name": "Viewer", "type": "query", "body": VIEWER}
    body = {"format": "apollo-persisted-query-manifest", "version": 1, "operations": [operation]}
    path.write_bytes(orjson.dumps(body))

    trusted = Settings.from_env({"TRUSTED_DOCUMENTS": str(path)}).trusted_documents

    assert trusted is not None
    assert trusted.by_id == {"abc": VIEWER}


# The manifest of the project's own operations


def test_the_command_line_writes_one_document_per_client_operation(tmp_path: Path) -> None:
    output = tmp_path / "manifest.json"

    subprocess.run(
        [sys.executable, "-m", "app", "trusted-documents", "--output", str(output)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=60,
    )

    written: dict[str, str] = orjson.loads(output.read_bytes())
    names = set()
    for sha, text in written.items():
        assert sha == sha256(text)
        (operation,) = parse(text).definitions
        assert isinstance(operation, OperationDefinitionNode)
        assert operation.name is not None
        names.add(operation.name.value)
    source = parse(CLIENT_OPERATIONS.read_text()).definitions
    assert names == {
        node.name.value
        for node in source
        if isinstance(node, OperationDefinitionNode) and node.name is not None
    }


FRAGMENTS = """
query Mine { viewer { ...Who } }
query Other { viewer { id ... on User { email } } }
fragment Unused on User { email }
fragment Who on User { id ...Named }
fragment Named on User { displayName }
"""


def test_each_document_carries_the_fragments_it_uses_and_no_others() -> None:
    mine, other = manifest_of(FRAGMENTS).values()

    assert mine == (
        "query Mine {\n  viewer {\n    ...Who\n  }\n}\n\n"
        "fragment Who on User {\n  id\n  ...Named\n}\n\n"
        "fragment Named on User {\n  displayName\n}"
    )
    assert "fragment" not in other


def test_typename_is_added_as_apollo_client_adds_it() -> None:
    mine, other = manifest_of(FRAGMENTS, add_typename=True).values()

    assert mine.startswith("query Mine {\n  viewer {\n    ...Who\n    __typename\n  }\n}")
    assert "fragment Who on User {\n  id\n  ...Named\n  __typename\n}" in mine
    assert other == (
        "query Other {\n  viewer {\n    id\n    ... on User {\n      email\n      __typename\n"
        "    }\n    __typename\n  }\n}"
    )
