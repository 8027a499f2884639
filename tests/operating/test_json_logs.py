"""LOG_FORMAT=json: every line of a real server is one JSON object, and none holds a secret.

Each secret goes through every path a request can take: HTTP (POST and a GET
refused with 405), WebSocket (the token in `connection_init`, a mutation, a
subscription delivering the message), errors (bad input, a wrong password,
a malformed body) and signing in.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from websockets.sync.client import ClientConnection, connect

from orm.seed import DEMO_MENTEE_EMAIL, DEMO_MENTOR_EMAIL, DEMO_PASSWORD
from tests.servers import free_port, serving
from tests.support import ROOT, client_operations

SECRET_KEY = "json-logs-test-secret-key-long-enough-for-hs256"
PASSWORD = "correct-horse-battery-staple-7"
WRONG_PASSWORD = "wrong-horse-battery-staple-8"
NEW_PASSWORD = "renewed-horse-battery-staple-9"
EMAIL = "someone.private@example.org"
BODY = "my private message body 7c1f"
WS_BODY = "another private message body 2e9a"
CONTACT = "https://www.linkedin.com/in/private-person-5b3d"
REQUEST_ID = "trace-me-42"
OPS = client_operations()


def _post(base: str, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
    headers = {"authorization": f"Bearer {token}", "x-request-id": REQUEST_ID} if token else {}
    reply = httpx.post(
        f"{base}/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    return reply.json()


def _login(base: str, email: str, password: str) -> str:
    answer = _post(base, OPS["Login"], {"email": email, "password": password})
    token: str = answer["data"]["login"]["token"]
    return token


@contextmanager
def _socket(base: str, token: str) -> Iterator[ClientConnection]:
    with connect(
        base.replace("http", "ws") + "/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    ) as socket:
        payload = {"authorization": f"Bearer {token}"}
        socket.send(json.dumps({"type": "connection_init", "payload": payload}))
        assert json.loads(socket.recv(timeout=10))["type"] == "connection_ack"
        yield socket


def _until(socket: ClientConnection, id_: str, kind: str = "next") -> Any:
    while True:
        message = json.loads(socket.recv(timeout=10))
        if message.get("id") == id_ and message["type"] == kind:
            return message


def _traffic(base: str) -> list[str]:
    """Sends every secret through every path; returns the tokens issued meanwhile."""
    registered = _post(
        base,
        OPS["Register"],
        {"input": {"email": EMAIL, "password": PASSWORD, "displayName": "Private"}},
    )
    own = registered["data"]["register"]["token"]
    # Errors: a wrong password, bad input holding secrets, a malformed body.
    wrong = _post(base, OPS["Login"], {"email": EMAIL, "password": WRONG_PASSWORD})
    assert wrong["errors"]
    bad = _post(
        base, OPS["Register"], {"input": {"email": PASSWORD, "password": "x", "displayName": ""}}
    )
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    httpx.post(
        f"{base}/graphql",
        content=f'{{"query": "{PASSWORD}'.encode(),
        headers={"content-type": "application/json"},
    )
    # A GET mutation (405) with the password in the URL.
    in_url = {"email": EMAIL, "password": PASSWORD}
    httpx.get(
        f"{base}/graphql?{urlencode({'query': OPS['Login'], 'variables': json.dumps(in_url)})}"
    )
    changed = _post(
        base,
        OPS["ChangePassword"],
        {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD},
        own,
    )
    own = changed["data"]["changePassword"]["token"]
    mentor = _login(base, DEMO_MENTOR_EMAIL, DEMO_PASSWORD)
    mentee = _login(base, DEMO_MENTEE_EMAIL, DEMO_PASSWORD)
    saved = _post(
        base,
        OPS["SaveMentorProfile"],
        {"input": {"contactLinks": [{"kind": "LINKEDIN", "value": CONTACT}]}},
        mentor,
    )
    assert "errors" not in saved, saved
    listed = _post(base, OPS["MyRelationships"], {}, mentee)
    relationship = listed["data"]["myRelationships"][0]["id"]
    with _socket(base, mentor) as listening, _socket(base, mentee) as sending:
        listening.send(
            json.dumps(
                {
                    "id": "sub",
                    "type": "subscribe",
                    "payload": {
                        "query": OPS["MessageAdded"],
                        "variables": {"relationshipId": relationship},
                    },
                }
            )
        )
        sent = _post(
            base,
            OPS["SendMessage"],
            {"input": {"relationshipId": relationship, "body": BODY}},
            mentee,
        )
        assert "errors" not in sent, sent
        assert _until(listening, "sub")["payload"]["data"]["messageAdded"]["body"] == BODY
        sending.send(
            json.dumps(
                {
                    "id": "send",
                    "type": "subscribe",
                    "payload": {
                        "query": OPS["SendMessage"],
                        "variables": {"input": {"relationshipId": relationship, "body": WS_BODY}},
                    },
                }
            )
        )
        assert _until(sending, "send")["payload"]["data"]["sendMessage"]["body"] == WS_BODY
        assert _until(listening, "sub")["payload"]["data"]["messageAdded"]["body"] == WS_BODY
    return [own, mentor, mentee]


def test_every_line_is_json_and_no_secret_reaches_any(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite://{tmp_path / 'data' / 'logs.sqlite3'}",
        "SECRET_KEY": SECRET_KEY,
        "LOG_FORMAT": "json",
    }
    env.pop("BROADCAST_URL", None)
    command = [sys.executable, "-m", "app", "serve", "--port", str(port), "--demo-data"]
    with serving(command, port=port, cwd=tmp_path, env=env) as base:
        tokens = _traffic(base)
        given = httpx.get(f"{base}/healthz", headers={"x-request-id": REQUEST_ID})
        made_up = httpx.get(f"{base}/healthz", headers={"x-request-id": "not;valid" * 10})
    log = (tmp_path / f"server-{port}.log").read_text()

    lines = [json.loads(line) for line in log.splitlines() if line.strip()]
    assert all(isinstance(line, dict) for line in lines)
    secrets = [PASSWORD, WRONG_PASSWORD, NEW_PASSWORD, DEMO_PASSWORD, BODY, WS_BODY, CONTACT]
    secrets += [EMAIL, DEMO_MENTOR_EMAIL, DEMO_MENTEE_EMAIL, *tokens, SECRET_KEY]
    for secret in secrets:
        assert secret not in log, secret
    # The fields a log pipeline reads.
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    operations = [line for line in lines if line["logger"] == "mentoring.operations"]
    sent = [line for line in operations if line["operation"] == "SendMessage"]
    assert len(sent) == 2
    assert {line["outcome"] for line in sent} == {"OK"}
    assert all(isinstance(line["duration_ms"], float | int) for line in sent)
    # The user as a keyed hash, the same in every line, never the id.
    assert len({line["user"] for line in sent}) == 1
    assert re.fullmatch(r"[0-9a-f]{16}", sent[0]["user"])
    failed = [line for line in operations if line["operation"] == "Login"]
    assert "UNAUTHENTICATED" in {line["outcome"] for line in failed} or any(
        line["outcome"] != "OK" for line in failed
    )
    # The request id: the client's when valid, else a new one, always answered back.
    assert given.headers["x-request-id"] == REQUEST_ID
    assert re.fullmatch(r"[0-9a-f]{16}", made_up.headers["x-request-id"])
    assert any(line.get("request_id") == REQUEST_ID for line in operations)
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    assert access
    assert all("request_id" in line for line in access)
