"""ALLOWED_ORIGINS: pages on the origins listed may call the API over HTTP and WebSocket."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import websockets
from starlette.applications import Starlette
from websockets.exceptions import InvalidStatus

from app import Settings, SettingsError, create_app
from schema.core.limits import MAX_BODY_BYTES
from tests.live import PROTOCOL, serve
from tests.support import NoRateLimits, running, settings_for

SPA = "http://localhost:5173"
OTHER_SPA = "https://app.example.org"
STRANGER = "https://evil.example"
TYPENAME = {"query": "{ __typename }"}


def preflight(origin: str, *headers: str) -> dict[str, str]:
    """What a browser sends before a cross-origin POST with a JSON body and a token."""
    return {
        "origin": origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": ", ".join(headers or ("authorization", "content-type")),
    }


def cors_headers(reply: httpx.Response) -> dict[str, str]:
    return {name: value for name, value in reply.headers.items() if name.startswith("access-")}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path, rate_limiter=NoRateLimits(), allowed_origins=(SPA, OTHER_SPA))


@pytest.fixture
async def http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running(create_app(settings)) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            yield client


async def _client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api.test")


# Settings


def test_allowed_origins_are_read_as_browsers_send_them() -> None:
    raw = "http://localhost:5173, https://App.Example.org:443/ ,http://127.0.0.1:8080"

    settings = Settings.from_env({"ALLOWED_ORIGINS": raw})

    assert settings.allowed_origins == (SPA, OTHER_SPA, "http://127.0.0.1:8080")
    assert Settings.from_env({"ALLOWED_ORIGINS": " * "}).allowed_origins == ("*",)
    assert Settings.from_env({}).allowed_origins == ()


@pytest.mark.parametrize(
    "raw",
    [
        "localhost:5173",  # no scheme
        "https://app.example.org/path",
        "https://app.example.org?x=1",
        "https://user@app.example.org",
        "null",
        "https://[::1",
        "http://localhost:5173,,https://app.example.org",
        "*, https://app.example.org",
    ],
)
def test_a_value_that_is_no_origin_stops_the_start_naming_the_variable(raw: str) -> None:
    with pytest.raises(SettingsError, match="ALLOWED_ORIGINS"):
        Settings.from_env({"ALLOWED_ORIGINS": raw})


# HTTP


async def test_a_preflight_from_an_allowed_origin_is_answered_and_cached(
    http: httpx.AsyncClient,
) -> None:
    reply = await http.options("/graphql", headers=preflight(SPA))

    assert reply.status_code == 200
    assert reply.headers["access-control-allow-origin"] == SPA
    assert set(reply.headers["access-control-allow-methods"].split(", ")) == {"GET", "POST"}
    allowed = reply.headers["access-control-allow-headers"].lower().split(", ")
    assert {"authorization", "content-type"} <= set(allowed)
    assert reply.headers["access-control-max-age"] == "600"
    assert "access-control-allow-credentials" not in reply.headers
    assert "Origin" in reply.headers["vary"]


async def test_apollo_clients_headers_pass_the_preflight(http: httpx.AsyncClient) -> None:
    headers = preflight(
        OTHER_SPA, "apollographql-client-name", "apollographql-client-version", "content-type"
    )

    reply = await http.options("/graphql", headers=headers)

    assert reply.status_code == 200
    assert reply.headers["access-control-allow-origin"] == OTHER_SPA


async def test_a_preflight_from_another_origin_gets_no_cors_headers(
    http: httpx.AsyncClient,
) -> None:
    reply = await http.options("/graphql", headers=preflight(STRANGER))

    assert reply.status_code == 405
    assert cors_headers(reply) == {}


async def test_an_allowed_origins_post_carries_the_headers_a_browser_needs(
    http: httpx.AsyncClient,
) -> None:
    reply = await http.post("/graphql", json=TYPENAME, headers={"origin": SPA})

    assert reply.json() == {"data": {"__typename": "Query"}}
    assert reply.headers["access-control-allow-origin"] == SPA
    assert reply.headers["access-control-expose-headers"].lower() == "retry-after"
    assert "Origin" in reply.headers["vary"]
    # The other middleware still does its part.
    assert reply.headers["x-content-type-options"] == "nosniff"


async def test_an_allowed_origin_reads_a_get_and_the_refusals_too(http: httpx.AsyncClient) -> None:
    got = await http.get("/graphql", params=TYPENAME, headers={"origin": SPA})
    too_big = await http.post(
        "/graphql", content=b"x" * (MAX_BODY_BYTES + 1), headers={"origin": SPA}
    )

    assert got.json() == {"data": {"__typename": "Query"}}
    assert got.headers["access-control-allow-origin"] == SPA
    assert too_big.status_code == 413
    assert too_big.headers["access-control-allow-origin"] == SPA


async def test_another_origins_post_gets_no_cors_headers(http: httpx.AsyncClient) -> None:
    reply = await http.post("/graphql", json=TYPENAME, headers={"origin": STRANGER})

    # The browser, not the server, withholds the answer from the page.
    assert reply.status_code == 200
    assert cors_headers(reply) == {}


async def test_without_allowed_origins_nothing_is_cross_origin(tmp_path: Path) -> None:
    async with running(create_app(settings_for(tmp_path))) as app, await _client(app) as http:
        asked = await http.options("/graphql", headers=preflight(SPA))
        posted = await http.post("/graphql", json=TYPENAME, headers={"origin": SPA})

    assert asked.status_code == 405
    assert cors_headers(asked) == cors_headers(posted) == {}


async def test_a_star_allows_every_origin(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, allowed_origins=("*",))
    async with running(create_app(settings)) as app, await _client(app) as http:
        asked = await http.options("/graphql", headers=preflight(STRANGER))
        posted = await http.post("/graphql", json=TYPENAME, headers={"origin": STRANGER})

    assert asked.status_code == 200
    assert asked.headers["access-control-allow-origin"] == "*"
    assert posted.headers["access-control-allow-origin"] == "*"


# WebSocket, over a real socket


async def _acknowledged(url: str, origin: str | None) -> bool:
    """Whether a graphql-transport-ws connection from `origin` gets as far as its ack."""
    headers = {"Origin": origin} if origin else None
    async with websockets.connect(
        url,
        subprotocols=[PROTOCOL],  # type: ignore[list-item]
        additional_headers=headers,
        origin=None,
    ) as connection:
        await connection.send('{"type": "connection_init"}')
        return '"connection_ack"' in str(await connection.recv())


async def test_a_socket_from_an_allowed_origin_is_served_and_another_refused(
    settings: Settings,
) -> None:
    async with serve(settings) as server:
        assert await _acknowledged(server.ws_url, SPA)
        assert await _acknowledged(server.ws_url, None)  # not a browser
        assert await _acknowledged(server.ws_url, server.http_url)  # the API's own pages
        with pytest.raises(InvalidStatus) as refused:
            await _acknowledged(server.ws_url, STRANGER)

    assert refused.value.response.status_code == 403


async def test_a_star_allows_a_socket_from_any_origin(tmp_path: Path) -> None:
    async with serve(settings_for(tmp_path, allowed_origins=("*",))) as server:
        assert await _acknowledged(server.ws_url, STRANGER)
