"""Secrets sent in a URL stay out of the logs, however the app is served."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from schema.core.access_log import REDACTED, RedactQueryValues, redact_query
from tests.servers import free_port, serving
from tests.support import ROOT

PASSWORD = "hunter2-correct-horse"
LOGIN = f'mutation Login {{ login(email: "a@example.org", password: "{PASSWORD}") {{ token }} }}'
LOGIN_WITH_VARIABLES = (
    'mutation Login($p: String!) { login(email: "a@example.org", password: $p) { token } }'
)


def _commands(port: int) -> dict[str, list[str]]:
    return {
        "serve": [sys.executable, "-m", "app", "serve", "--port", str(port)],
        "uvicorn": [sys.executable, "-m", "uvicorn", "app:app", "--port", str(port)],
    }


@pytest.mark.parametrize("how", ["serve", "uvicorn"])
def test_a_get_mutation_leaves_no_password_in_the_access_log(tmp_path: Path, how: str) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite://{tmp_path / 'data' / 'logs.sqlite3'}",
        "SECRET_KEY": "logs-test-secret-key-long-enough-for-hs256",
    }
    env.pop("BROADCAST_URL", None)
    with serving(_commands(port)[how], port=port, cwd=tmp_path, env=env) as base:
        inline = httpx.get(f"{base}/graphql?{urlencode({'query': LOGIN})}")
        variables = httpx.get(
            f"{base}/graphql?"
            + urlencode(
                {
                    "query": LOGIN_WITH_VARIABLES,
                    "variables": json.dumps({"p": PASSWORD}),
                    "operationName": "Login",
                }
            )
        )
        # A password where no parameter name is expected.
        httpx.get(f"{base}/graphql?{PASSWORD}")
        assert (inline.status_code, variables.status_code) == (405, 405)
    log = (tmp_path / f"server-{port}.log").read_text()

    assert log.count('"GET /graphql?') == 3, log
    assert "operationName=Login" in log
    assert PASSWORD not in log
    assert "hunter2" not in log


def test_the_filter_redacts_every_value_but_the_operation_name() -> None:
    path = "/graphql?query=mutation%7Bx%7D&variables=%7B%22p%22%3A1%7D&operationName=Op&flag"

    assert redact_query(path) == (
        f"/graphql?query={REDACTED}&variables={REDACTED}&operationName=Op&{REDACTED}"
    )
    assert redact_query(f"/graphql?password={PASSWORD}") == f"/graphql?{REDACTED}"
    assert redact_query("/healthz") == "/healthz"
    assert redact_query(f"/demo/?{PASSWORD}%22") == f"/demo/?{REDACTED}"


def test_the_filter_rewrites_uvicorns_access_record() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        (
            "127.0.0.1:5000",
            "GET",
            f"/graphql?variables=%7B%22p%22%3A%22{PASSWORD}%22%7D",
            "1.1",
            405,
        ),
        None,
    )

    assert RedactQueryValues().filter(record)

    assert PASSWORD not in record.getMessage()
    assert f"/graphql?variables={REDACTED}" in record.getMessage()
