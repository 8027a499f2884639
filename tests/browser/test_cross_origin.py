"""A single-page app on its own origin calls the API on another, as ALLOWED_ORIGINS allows.

The app is what a dev server (Vite's on http://localhost:5173) serves: a
page and a module that runs queries with its token (preflighted POSTs) and
follows a subscription with the `graphql-ws` client. A static server on a
free port serves it as `http://localhost:<port>`, the origin the API allows;
the same server reached as `http://127.0.0.1:<port>` is another origin, not
listed, from which the page can do neither. The browser enforces CORS on
the answers, and sends the page's real `Origin` on the WebSocket.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from orm.seed import DEMO_MENTEE_EMAIL, DEMO_MENTOR_EMAIL, DEMO_PASSWORD
from tests.browser.servers import login, run, serving
from tests.browser.support import Browsing
from tests.servers import free_port
from tests.support import ROOT, client_operations

if TYPE_CHECKING:
    from playwright.sync_api import Page


GRAPHQL_WS = ROOT / "web" / "static" / "vendor" / "graphql-ws.js"

# The app: `api.run` answers a query's JSON, `api.follow` collects a
# subscription's messages in `api.received` (and its failure in `api.failure`).
PAGE = """<!doctype html>
<title>SPA</title>
<script type="module">
import { createClient } from "/graphql-ws.js";

const endpoint = new URL("/graphql", new URL(location.href).searchParams.get("api"));
const socketUrl = endpoint.href.replace(/^http/, "ws");

window.api = {
  received: [],
  failure: null,
  async run(query, variables, token) {
    const headers = { "content-type": "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    const reply = await fetch(endpoint, {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
    });
    return reply.json();
  },
  follow(query, variables, token) {
    const client = createClient({
      url: socketUrl,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      on: { connected: () => (window.api.connected = true) },
    });
    client.subscribe({ query, variables }, {
      next: (result) => window.api.received.push(result),
      error: (reason) => (window.api.failure = String(reason?.code ?? reason)),
      complete: () => {},
    });
  },
};
document.title = "ready";
</script>
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def spa(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A static server of the app's page and module; yields its port."""
    folder = tmp_path_factory.mktemp("spa")
    (folder / "index.html").write_text(PAGE)
    shutil.copy(GRAPHQL_WS, folder / "graphql-ws.js")
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def api(spa: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API, allowing the app's origin (http://localhost:<port>) and no other."""
    directory = tmp_path_factory.mktemp("cross-origin")
    settings = {"ALLOWED_ORIGINS": f"http://localhost:{spa}"}
    with serving("app", directory, "serve", "--demo-data", settings=settings) as base:
        yield base


def open_spa(browsing: Browsing, origin: str, api: str) -> Page:
    """The app's page on `origin`, ready to call the API at `api`."""
    page = browsing.page()
    page.goto(f"{origin}/?api={api}")
    page.wait_for_function("document.title === 'ready'")
    return page


def call(page: Page, name: str, token: str | None = None, **variables: Any) -> Any:
    return page.evaluate(
        "([query, variables, token]) => api.run(query, variables, token)",
        [client_operations()[name], variables, token],
    )


def test_an_allowed_origin_queries_and_follows_messages_live(
    browsing: Browsing, spa: int, api: str
) -> None:
    page = open_spa(browsing, f"http://localhost:{spa}", api)

    signed_in = call(page, "Login", email=DEMO_MENTEE_EMAIL, password=DEMO_PASSWORD)
    token = signed_in["data"]["login"]["token"]
    relationships = call(page, "MyRelationships", token)["data"]["myRelationships"]
    relationship_id = relationships[0]["id"]
    page.evaluate(
        "([query, variables, token]) => api.follow(query, variables, token)",
        [client_operations()["MessageAdded"], {"relationshipId": relationship_id}, token],
    )
    page.wait_for_function("api.connected === true")
    mentor = login(api, DEMO_MENTOR_EMAIL)
    sent = {"relationshipId": relationship_id, "body": "Across origins, live."}
    run(api, "SendMessage", mentor, input=sent)

    page.wait_for_function(
        "api.received.some((r) => r.data?.messageAdded.body === 'Across origins, live.')"
    )
    assert page.evaluate("api.failure") is None
    assert browsing.page_errors == []


def test_another_origin_can_neither_query_nor_subscribe(
    browsing: Browsing, spa: int, api: str
) -> None:
    page = open_spa(browsing, f"http://127.0.0.1:{spa}", api)

    fetched = page.evaluate(
        "api.run('{ __typename }', {}).then(() => 'answered', (error) => error.name)"
    )
    page.evaluate("api.follow('subscription { viewerEvents { kind } }', {}, 'no token')")
    page.wait_for_function("api.failure !== null")

    assert fetched == "TypeError"  # the browser withheld the answer: a CORS failure
    assert page.evaluate("api.connected") is None
