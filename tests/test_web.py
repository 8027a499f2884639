"""The browser pages' files: served offline, speaking only the contract.

tests/browser runs the pages themselves in Chromium; these checks need no
browser and run everywhere.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from graphql import OperationDefinitionNode, parse, print_ast, validate

from schema import schema
from schema.core.compat_strawberry import graphql_schema
from schema.core.http import WEB
from tests.support import Client, client_operations

DEMO_OPERATIONS = {
    "Login",
    "Logout",
    "Viewer",
    "MyRelationships",
    "Conversation",
    "SendMessage",
    "MarkRead",
    "MessageAdded",
    "ViewerEvents",
    "Workspace",
    "AddActionStep",
    "UpdateActionStep",
}
# GraphiQL's examples that wait for other issues' fields (xfail, strictly).
PENDING_EXAMPLES: dict[str, str] = {}


def _demo_operations() -> dict[str, str]:
    source = (WEB / "demo" / "operations.js").read_text()
    return dict(re.findall(r"export const (\w+) = `([^`]*)`;", source))


def _graphiql_examples() -> dict[str, str]:
    page = (WEB / "templates" / "graphiql.html").read_text()
    match = re.search(
        r'<script type="application/graphql" id="example-operations">(.*?)</script>', page, re.S
    )
    assert match, "the GraphiQL page lost its example document"
    document = parse(match.group(1))
    return {
        node.name.value: print_ast(node)
        for node in document.definitions
        if isinstance(node, OperationDefinitionNode) and node.name is not None
    }


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_the_demo_sends_exactly_the_contracts_operations() -> None:
    operations = _demo_operations()

    assert set(operations) == DEMO_OPERATIONS
    for name, text in operations.items():
        assert print_ast(parse(text)) == client_operations()[name], f"{name} drifted"


def test_graphiql_shows_examples_of_each_kind_of_operation() -> None:
    examples = _graphiql_examples()

    assert {"Register", "SaveMenteeProfile", "SearchMentors", "MentorSuggestions"} <= set(examples)
    assert any(text.startswith("subscription") for text in examples.values())


@pytest.mark.parametrize("name", sorted(_graphiql_examples()))
def test_graphiql_example_validates(name: str, request: pytest.FixtureRequest) -> None:
    if name in PENDING_EXAMPLES:
        request.applymarker(
            pytest.mark.xfail(strict=True, reason=f"{PENDING_EXAMPLES[name]} issue")
        )

    assert validate(graphql_schema(schema), parse(_graphiql_examples()[name])) == []


@pytest.mark.parametrize("page", ["templates/graphiql.html", "demo/index.html"])
def test_pages_load_nothing_from_other_hosts(page: str) -> None:
    references = _References()
    references.feed((WEB / page).read_text())

    assert references.urls
    assert [
        url for url in references.urls if re.match(r"^[a-z]+:", url) and not url.startswith("data:")
    ] == []
    assert [url for url in references.urls if url.startswith("//")] == []


@pytest.mark.parametrize("folder", ["graphiql", "vendor"])
def test_bundles_are_committed_with_the_licences_of_what_they_bundle(folder: str) -> None:
    licences = (WEB / "static" / folder / "LICENSES.txt").read_text()

    expected = {
        "graphiql": ["graphiql@", "react@", "monaco-editor@", "graphql-ws@"],
        "vendor": ["graphql-ws@"],
    }
    assert all(f"\n{name}" in licences for name in expected[folder])
    assert "MIT" in licences


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/static/graphiql/graphiql.js", "text/javascript"),
        ("/static/graphiql/graphiql.css", "text/css"),
        ("/static/graphiql/graphql.worker.js", "text/javascript"),
        ("/static/vendor/graphql-ws.js", "text/javascript"),
        ("/demo/", "text/html"),
        ("/demo/demo.js", "text/javascript"),
        ("/demo/operations.js", "text/javascript"),
    ],
)
async def test_the_service_serves_the_pages_files(
    anon: Client, path: str, content_type: str
) -> None:
    reply = await anon.http.get(path)

    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith(content_type)


async def test_demo_without_a_slash_redirects_to_the_page(anon: Client) -> None:
    reply = await anon.http.get("/demo")

    assert reply.status_code in (307, 308)
    assert reply.headers["location"].endswith("/demo/")
