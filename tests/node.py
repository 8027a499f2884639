"""The npm project under tests/clients: real GraphQL clients and tools, run by node.

Installed once with `npm ci --prefix tests/clients` (exact versions, from its
lock file). Tests that need it skip when node or the installed packages are
missing, unless REQUIRE_SERVICES=1 (CI), where that fails them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from tests.servers import require
from tests.support import ROOT

CLIENTS = ROOT / "tests" / "clients"
INSTALLED = CLIENTS / "node_modules"
TIMEOUT_SECONDS = 180


def node() -> str:
    """The node executable, once the clients project is installed (else a skip or failure)."""
    found = shutil.which("node")
    require(found is not None, "node")
    require((INSTALLED / ".package-lock.json").is_file(), "tests/clients/node_modules")
    assert found is not None
    return found


def tool(name: str) -> Path:
    """The script behind an installed command (`tsc`, `graphql-codegen`, ...)."""
    link = INSTALLED / ".bin" / name
    require(link.exists(), f"tests/clients/node_modules/.bin/{name}")
    return link.resolve()


def run(
    *arguments: str | Path,
    cwd: Path = CLIENTS,
    env: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> subprocess.CompletedProcess[str]:
    """`node arguments...`, output captured; a failing exit is returned, not raised."""
    return subprocess.run(
        [node(), *map(str, arguments)],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
