"""GraphiQL, served by the service itself, works with no network beyond it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser.graphiql import (
    headers_editor,
    open_graphiql,
    operation_editor,
    paste,
    result,
    retype,
    run,
)
from tests.browser.servers import login
from tests.browser.servers import run as call
from tests.browser.support import Browsing, expect, screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _sign_in(page: Page, token: str) -> None:
    paste(page, headers_editor(page), f'{{"Authorization": "Bearer {token}"}}')
    expect(headers_editor(page)).to_contain_text(token)


def test_graphiql_loads_offline_and_runs_a_typed_query(browsing: Browsing, server: str) -> None:
    page = browsing.page()

    open_graphiql(page, server)
    expect(operation_editor(page)).to_contain_text("mutation Register")
    expect(headers_editor(page)).to_contain_text('"Authorization": "Bearer <token>"')
    retype(page, operation_editor(page), '{ __type(name: "Topic") { enumValues { name } } }')
    page.get_by_role("button", name="Prettify query (Shift-Ctrl-P)").click()
    # One line per brace level, as Prettier lays it out, and a final newline.
    expect(operation_editor(page).locator(".view-line")).to_have_count(8)
    run(page)

    expect(result(page)).to_contain_text("INTERCULTURAL_COMMUNICATION")
    screenshot(page, "graphiql")
    assert browsing.outside == [], "GraphiQL tried to reach the network"
    assert browsing.page_errors == []


def test_graphiql_follows_message_added_live_with_the_header_editors_token(
    browsing: Browsing, server: str
) -> None:
    mentee = login(server, "mentee@demo.example")
    mentor = login(server, "mentor@demo.example")
    relationships = call(server, "MyRelationships", mentee, status=["ACCEPTED", "ACTIVE"])
    relationship_id = relationships["myRelationships"][0]["id"]

    def send(body: str) -> str:
        message = call(
            server, "SendMessage", mentor, input={"relationshipId": relationship_id, "body": body}
        )
        cursor: str = message["sendMessage"]["cursor"]
        return cursor

    # Following from a known cursor: whether the next message arrives before
    # or after the subscription starts, it is delivered (replayed or live).
    cursor = send("Before GraphiQL subscribed")
    page = browsing.page()

    open_graphiql(page, server)
    _sign_in(page, mentee)
    retype(
        page,
        operation_editor(page),
        f'subscription {{ messageAdded(relationshipId: "{relationship_id}", after: "{cursor}")'
        " { body } }",
    )
    run(page)
    expect(page.get_by_role("button", name="Stop query (Ctrl-Enter)")).to_be_visible()
    send("Live in GraphiQL")

    expect(result(page)).to_contain_text("Live in GraphiQL")
    assert browsing.outside == []
    assert browsing.page_errors == []
