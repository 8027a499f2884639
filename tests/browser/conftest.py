"""Browser tests: Debian's Chromium driven by Playwright, against real servers.

They skip where Chromium or the playwright package is missing, unless
REQUIRE_SERVICES=1 (CI), where that fails instead. Playwright's own browser
builds are never used: CI installs Debian's with `apt-get install chromium`.

Every page is offline but for the server under test: requests and WebSockets
to any host other than 127.0.0.1/localhost are aborted and recorded, and each
test asserts that none was attempted.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.servers import serving
from tests.browser.support import Browsing

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is missing (pip install -e '.[dev]')"
    if not CHROMIUM.is_file():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, or a skip (a failure under REQUIRE_SERVICES=1).

    Every fixture here depends on it, so that nothing starts when it is missing.
    """
    missing = _missing()
    if missing:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {missing}")
        pytest.skip(missing)
    return CHROMIUM


# Per module, not per session: while Playwright's sync API is started, its
# event loop counts as running in this thread, which the asyncio tests of the
# rest of the suite cannot share.
@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def server(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app as `make run` starts it: demo data seeded into an empty database."""
    with serving("app", tmp_path_factory.mktemp("server"), "serve", "--demo-data") as base:
        yield base


@pytest.fixture
def browsing(browser: Browser) -> Iterator[Browsing]:
    session = Browsing(browser)
    try:
        yield session
    finally:
        session.close()
