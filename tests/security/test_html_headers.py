"""Pages carry security headers and a policy fitted to each; redirects ignore Host.

Requests whose headers are too large are refused by the app itself.
"""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.servers import free_port, serving
from tests.support import ROOT, Client, unlimited_app

HTML = "text/html"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def directives(policy: str) -> dict[str, set[str]]:
    parsed: dict[str, set[str]] = {}
    for part in filter(None, (piece.strip() for piece in policy.split(";"))):
        name, *values = part.split()
        parsed[name] = set(values)
    return parsed


def assert_page_headers(headers: httpx.Headers) -> dict[str, set[str]]:
    assert headers["content-type"].startswith(HTML)
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    policy = directives(headers["content-security-policy"])
    assert policy["default-src"] == {"'none'"}
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["base-uri"] == {"'none'"}
    assert policy["form-action"] == {"'none'"}
    # Scripts only from this origin: nothing inline, no eval.
    assert policy["script-src"] == {"'self'"}
    assert policy["connect-src"] == {"'self'"}
    return policy


async def test_the_demo_page_has_a_strict_policy(anon: Client) -> None:
    reply = await anon.http.get("/demo/")

    assert reply.status_code == 200
    policy = assert_page_headers(reply.headers)
    assert policy["style-src"] == {"'self'"}


async def test_graphiql_has_a_policy_without_inline_scripts(anon: Client) -> None:
    reply = await anon.http.get("/graphql", headers={"accept": BROWSER_ACCEPT})

    assert reply.status_code == 200
    policy = assert_page_headers(reply.headers)
    assert policy["worker-src"] == {"'self'"}


@pytest.mark.parametrize("page", ["/demo/", "/graphql"])
async def test_pages_run_no_inline_script(anon: Client, page: str) -> None:
    html = (await anon.http.get(page, headers={"accept": BROWSER_ACCEPT})).text

    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL):
        runs = 'type="module"' in attributes or "type=" not in attributes
        assert not (runs and body.strip()), f"inline script on {page}: {body[:80]!r}"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/graphql"), ("GET", "/graphql?query={__typename}"), ("GET", "/healthz")],
)
async def test_every_response_says_nosniff(anon: Client, method: str, path: str) -> None:
    body = {"query": "{ __typename }"} if method == "POST" else None
    reply = await anon.http.request(method, path, json=body)

    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["referrer-policy"] == "no-referrer"
    assert directives(reply.headers["content-security-policy"])["default-src"] == {"'none'"}


@pytest.mark.parametrize("path", ["/demo", "/healthz/", "/graphql/"])
async def test_redirects_do_not_echo_a_hostile_host(anon: Client, path: str) -> None:
    reply = await anon.http.get(path, headers={"host": "evil.example"})

    location = reply.headers.get("location", "")
    assert "evil.example" not in location
    if path == "/demo":
        assert reply.status_code in (307, 308)
        assert location == "/demo/"


async def test_headers_over_the_cap_are_refused_with_431(anon: Client) -> None:
    big = "Bearer " + "a" * (1024 * 1024)
    reply = await anon.http.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"authorization": big}
    )

    assert reply.status_code == 431
    assert reply.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_many_small_headers_count_together(anon: Client) -> None:
    headers = {f"x-filler-{n}": "b" * 1000 for n in range(20)}

    reply = await anon.http.get("/healthz", headers=headers)

    assert reply.status_code == 431


async def test_headers_under_the_cap_pass(anon: Client) -> None:
    reply = await anon.http.get("/healthz", headers={"x-filler": "b" * 8000})

    assert reply.status_code == 200


def test_a_websocket_handshake_over_the_cap_is_refused(unlimited: TestClient) -> None:
    headers = {"x-filler": "b" * (64 * 1024)}

    with (
        pytest.raises(WebSocketDisconnect) as refused,
        unlimited.websocket_connect(
            "/graphql", subprotocols=["graphql-transport-ws"], headers=headers
        ),
    ):
        pass  # never reached: the handshake itself is refused

    assert refused.value.code == 1008


@pytest.fixture
def unlimited(tmp_path: Path) -> Iterator[TestClient]:
    with unlimited_app(tmp_path) as client:
        yield client


def _send_head(base: str, header_bytes: int) -> bytes:
    """A POST whose Authorization header has `header_bytes`; the server's first answer bytes."""
    host, port = base.removeprefix("http://").split(":")
    body = b'{"query":"{ __typename }"}'
    head = (
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\nAuthorization: Bearer %s\r\n\r\n"
    ) % (len(body), b"a" * header_bytes)
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        with suppress(ConnectionError):
            connection.sendall(head + body)
        return connection.recv(64)


def test_serve_caps_the_request_head_before_buffering_it(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite://{tmp_path / 'data' / 'head.sqlite3'}",
        "SECRET_KEY": "head-test-secret-key-long-enough-for-hs256",
    }
    env.pop("BROADCAST_URL", None)
    command = [sys.executable, "-m", "app", "serve", "--port", str(port)]
    with serving(command, port=port, cwd=tmp_path, env=env) as base:
        assert _send_head(base, 1000).startswith(b"HTTP/1.1 200")
        # Over the app's cap, within the server's buffer: the app answers.
        assert _send_head(base, 20 * 1024).startswith(b"HTTP/1.1 431")
        # Far over: the server stops reading (400) instead of buffering it all.
        assert _send_head(base, 8 * 1024 * 1024).startswith(b"HTTP/1.1 400")
