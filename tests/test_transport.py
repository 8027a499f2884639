"""HTTP transport as the contract describes it: POST, GET, GraphiQL, probes."""

from __future__ import annotations

from pathlib import Path

import httpx

from app import create_app
from tests.support import Client, running, settings_for


async def test_post_json_runs_a_query(anon: Client) -> None:
    reply = await anon.op("Topics")

    names = [topic["value"] for topic in reply.data["topics"]]
    assert "INTERCULTURAL_COMMUNICATION" in names


async def test_get_runs_a_query(anon: Client) -> None:
    reply = await anon.http.get("/graphql", params={"query": "{ viewer { id } }"})

    assert reply.status_code == 200
    assert reply.json() == {"data": {"viewer": None}}


async def test_get_refuses_mutations_with_405(anon: Client) -> None:
    reply = await anon.http.get("/graphql", params={"query": "mutation { logout }"})

    assert reply.status_code == 405


async def test_a_browser_gets_graphiql_from_the_service_itself(anon: Client) -> None:
    reply = await anon.http.get("/graphql", headers={"accept": "text/html"})

    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/html")
    assert "graphiql" in reply.text.lower()
    # The bundle is ours (web/static); tests/browser runs it, offline, in Chromium.
    assert 'src="/static/graphiql/graphiql.js"' in reply.text


async def test_graphiql_can_be_switched_off(tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path, graphiql=False))
    async with running(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            reply = await http.get("/graphql", headers={"accept": "text/html"})

    assert "graphiql" not in reply.text.lower()


async def test_healthz_and_readyz_answer_while_the_backends_are_up(anon: Client) -> None:
    assert (await anon.http.get("/healthz")).status_code == 200
    assert (await anon.http.get("/readyz")).status_code == 200


async def test_readyz_is_503_when_the_broadcast_backend_is_unreachable(tmp_path: Path) -> None:
    # Port 9 (discard) has no Redis on it: the probe must say "not ready", not hang.
    app = create_app(settings_for(tmp_path))
    async with running(app):
        app.state.settings = settings_for(tmp_path, broadcast_url="redis://127.0.0.1:9")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            reply = await http.get("/readyz")

    assert reply.status_code == 503
    assert "broadcast" in reply.text


async def test_syntax_errors_carry_a_code(anon: Client) -> None:
    reply = await anon.query("{ viewer { id ")

    assert reply.code == "GRAPHQL_PARSE_FAILED"
