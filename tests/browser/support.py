"""Helpers for the browser tests: offline browser contexts, screenshots."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tests.support import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Locator,
        Page,
        Route,
        WebSocketRoute,
    )
    from playwright.sync_api._generated import LocatorAssertions

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SCREENSHOTS = ROOT / "docs" / "screenshots"


@dataclass
class Browsing:
    """Opens pages in fresh browser contexts (as separate people) that stay offline."""

    browser: Browser
    outside: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)

    def page(self) -> Page:
        context = self.browser.new_context(viewport={"width": 1280, "height": 800})
        # Generous: a 2-core machine under load parses a 5 MB bundle slowly.
        context.set_default_timeout(30_000)
        context.route("**/*", self._only_local)
        context.route_web_socket("**/*", self._only_local_socket)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        # What the page's Content-Security-Policy blocked shows only on the console.
        page.on("console", self._csp_violation)
        return page

    def _csp_violation(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.page_errors.append(message.text)

    def _only_local(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme == "data" or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _only_local_socket(self, socket: WebSocketRoute) -> None:
        if urlsplit(socket.url).hostname in LOCAL_HOSTS:
            socket.connect_to_server()
        else:
            self.outside.append(socket.url)
            socket.close()

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def screenshot(page: Page, name: str) -> None:
    """Saved for the README when SAVE_SCREENSHOTS=1 (docs/screenshots/NAME.png)."""
    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png")


def expect(locator: Locator) -> LocatorAssertions:
    """Playwright's `expect`, imported only when a test runs (see conftest)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)
