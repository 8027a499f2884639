"""Starting and stopping one uvicorn process for a benchmark."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.servers import free_port, serving
from tests.support import ROOT


def fast_options() -> list[str]:
    """uvloop and httptools where installed (uvicorn[standard]), and no access log."""
    options = ["--no-access-log", "--log-level", "warning"]
    if importlib.util.find_spec("uvloop"):
        options += ["--loop", "uvloop"]
    if importlib.util.find_spec("httptools"):
        options += ["--http", "httptools"]
    return options


@contextmanager
def uvicorn(app: str, env: Mapping[str, str], folder: Path) -> Iterator[str]:
    """Serve the ASGI app `app` (module:attribute) on a free port; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    # The floor apps have no database or broadcast to be ready for: /healthz.
    with serving(
        [*command, *fast_options()],
        port=port,
        cwd=folder,
        # The server runs in `folder`: the project comes from PYTHONPATH.
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        ready_path="/healthz",
    ) as base:
        yield base
