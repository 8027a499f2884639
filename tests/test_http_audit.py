"""The graphql-http audit suite (GraphQL over HTTP): every MUST and every SHOULD passes.

Install it once with `npm ci --prefix tests/http_audit`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.servers import require, uvicorn_server
from tests.support import ROOT

AUDIT = ROOT / "tests" / "http_audit"


def test_every_must_and_should_of_the_graphql_over_http_audit_passes(tmp_path: Path) -> None:
    node = shutil.which("node")
    require(node is not None, "node")
    require((AUDIT / "node_modules" / "graphql-http").is_dir(), "tests/http_audit/node_modules")
    assert node is not None
    env = {"DATABASE_URL": f"sqlite://{tmp_path / 'audit.sqlite3'}", "SECRET_KEY": "x" * 40}

    with uvicorn_server(tmp_path, env) as base_url:
        done = subprocess.run(
            [node, "audit.mjs", f"{base_url}/graphql"],
            cwd=AUDIT,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )

    results = json.loads(done.stdout)
    required = [result for result in results if result["name"].startswith(("MUST", "SHOULD"))]
    failing = [f"{r['name']}: {r['reason']}" for r in required if r["status"] != "ok"]
    assert len(required) >= 30, "the audit suite ran fewer audits than it has"
    assert failing == [], "\n".join(failing)
