"""`/metrics` under two uvicorn workers counts what every worker served, with bounded labels."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import connect

from orm.database import open_database
from orm.models import User
from resolvers.tokens import TokenIssuer
from schema.core.metrics import supervisor_folder
from tests.operating.scrape import METRICS_TOKEN, scrape, value
from tests.servers import uvicorn_server
from tests.support import client_operations

SECRET = "metrics-test-secret-key-long-enough-for-hs256"
VIEWERS = 20
UNKNOWN = 7
INVALID = 3
REGISTRATIONS = 25  # past twice the per-address limit: refusals whichever worker counts


async def _token(url: str) -> str:
    async with open_database(url):
        user = await User.create(email="watched@example.org", display_name="W", password_hash="x")
        return await TokenIssuer(SECRET).issue(user)


async def _post(http: httpx.AsyncClient, body: dict[str, Any], token: str | None = None) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    reply = await http.post("/graphql", json=body, headers=headers)
    return reply.json()


def _codes(answers: list[Any]) -> list[str]:
    return [error["extensions"]["code"] for answer in answers for error in answer.get("errors", [])]


async def _traffic(base_url: str, token: str) -> list[Any]:
    operations = client_operations()
    limits = httpx.Limits(max_connections=8, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as http:
        viewer = {"query": operations["Viewer"], "operationName": "Viewer"}
        sneaky = {"query": "query Sneaky { __typename }", "operationName": "Sneaky"}
        invalid = {"query": "query Viewer { nope }", "operationName": "Viewer"}
        register = operations["Register"]
        answers = await asyncio.gather(
            *(_post(http, viewer, token) for _ in range(VIEWERS)),
            *(_post(http, sneaky) for _ in range(UNKNOWN)),
            *(_post(http, invalid) for _ in range(INVALID)),
        )
        registrations = [
            await _post(
                http,
                {
                    "query": register,
                    "operationName": "Register",
                    "variables": {
                        "input": {
                            "email": f"new{i}@example.org",
                            "password": "a long enough password",
                            "displayName": "New",
                        }
                    },
                },
            )
            for i in range(REGISTRATIONS)
        ]
    return [*answers, *registrations]


def _eventually(base_url: str, name: str, expected: float) -> None:
    deadline = time.monotonic() + 10
    while value(scrape(base_url), name) != expected:
        assert time.monotonic() < deadline, f"{name} never became {expected}"
        time.sleep(0.1)


def test_two_workers_report_the_counts_every_worker_caused(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'metrics.sqlite3'}"
    token = asyncio.run(_token(url))
    env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "METRICS_TOKEN": METRICS_TOKEN}

    with uvicorn_server(tmp_path, env, workers=2) as base_url:
        assert httpx.get(f"{base_url}/metrics").status_code == 401
        wrong = {"authorization": "Bearer " + "x" * len(METRICS_TOKEN)}
        assert httpx.get(f"{base_url}/metrics", headers=wrong).status_code == 401
        answers = asyncio.run(_traffic(base_url, token))
        codes = _codes(answers)
        refused = codes.count("RATE_LIMITED")
        assert refused >= REGISTRATIONS - 2 * 10
        # Each scrape is answered by one worker or the other: all give the sum.
        scrapes = [scrape(base_url) for _ in range(6)]

        socket_url = base_url.replace("http", "ws") + "/graphql"
        with connect(socket_url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
            socket.send(
                json.dumps(
                    {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
                )
            )
            assert json.loads(socket.recv(timeout=10))["type"] == "connection_ack"
            events = client_operations()["ViewerEvents"]
            socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": events}}))
            _eventually(base_url, "mentoring_live_subscriptions", 1)
            assert value(scrape(base_url), "mentoring_websockets_open") == 1
        _eventually(base_url, "mentoring_websockets_open", 0)
        after = scrape(base_url)

    for samples in scrapes:
        operations = "mentoring_graphql_operations_total"
        assert value(samples, operations, operation="Viewer", type="query") == VIEWERS
        assert value(samples, operations, operation="other", type="query") == UNKNOWN
        # Refused before its type was read: an invalid document.
        assert value(samples, operations, operation="Viewer", type="unknown") == INVALID
        assert value(samples, operations, operation="Register", type="mutation") == REGISTRATIONS
        duration = "mentoring_graphql_operation_duration_seconds_count"
        assert value(samples, duration, operation="Viewer", type="query") == VIEWERS
        for code in set(codes):
            assert value(samples, "mentoring_graphql_errors_total", code=code) == codes.count(code)
        refusals = "mentoring_rate_limited_total"
        assert value(samples, refusals, policy="register-address") == refused
        # No label holds what a client chose.
        assert not any("Sneaky" in str(labels) for _, labels in samples)
    subscriptions = "mentoring_graphql_operations_total"
    assert value(after, subscriptions, operation="ViewerEvents", type="subscription") == 1
    assert value(after, "mentoring_live_subscriptions") == 0
    assert value(after, "mentoring_outbox_emails", status="PENDING") >= 0
    assert ("mentoring_database_connections_in_use", frozenset()) in after


def test_without_a_token_there_is_no_metrics_endpoint(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite://{tmp_path / 'off.sqlite3'}", "SECRET_KEY": SECRET}
    with uvicorn_server(tmp_path, env) as base_url:
        assert httpx.get(f"{base_url}/metrics").status_code == 404
        token = {"authorization": f"Bearer {METRICS_TOKEN}"}
        assert httpx.get(f"{base_url}/metrics", headers=token).status_code == 404


def test_a_restarted_service_counts_from_zero_and_old_folders_are_removed(tmp_path: Path) -> None:
    exited = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    gone = tmp_path / f"mentoring-metrics-{exited.stdout.strip()}-12345"
    gone.mkdir()
    (gone / "counter_1.db").write_bytes(b"old figures")
    unrelated = tmp_path / "mentoring-metrics-notes"
    unrelated.mkdir()

    mine = supervisor_folder(os.getpid(), tmp_path)
    again = supervisor_folder(os.getpid(), tmp_path)

    assert mine == again  # the supervisor's children share it
    assert mine.name.startswith(f"mentoring-metrics-{os.getpid()}")
    assert (mine.stat().st_mode & 0o777) == 0o700
    assert not gone.exists()
    assert unrelated.exists()
    # The same pid after a restart (another start time) is another service.
    reused = tmp_path / f"mentoring-metrics-{os.getpid()}-1"
    reused.mkdir()
    supervisor_folder(os.getpid(), tmp_path)
    assert not reused.exists()
