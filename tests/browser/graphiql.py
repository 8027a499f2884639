"""Driving GraphiQL's editors with the keyboard, as a person does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser.support import expect

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


def open_graphiql(page: Page, base: str) -> None:
    # Until the schema's introspection is back, the editors cannot complete
    # or validate against it: wait for it, as a person waits for the page.
    with page.expect_response(
        lambda response: response.url.endswith("/graphql") and response.request.method == "POST"
    ):
        page.goto(f"{base}/graphql")
    operation_editor(page).wait_for()


def operation_editor(page: Page) -> Locator:
    return page.get_by_role("region", name="Operation Editor").locator(".monaco-editor")


def headers_editor(page: Page) -> Locator:
    return page.get_by_role("region", name="Headers").locator(
        ".graphiql-editor:not(.hidden) .monaco-editor"
    )


def result(page: Page) -> Locator:
    return page.get_by_role("region", name="Result Window").locator(".view-lines")


def retype(page: Page, editor: Locator, text: str) -> None:
    """Select everything in a Monaco editor and type `text` over it."""
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    # Monaco closes brackets and quotes as they open and types over the
    # closers it added, so typing a balanced text leaves exactly that text.
    page.keyboard.type(text)
    page.keyboard.press("Escape")  # dismiss the completion list, if open


def paste(page: Page, editor: Locator, text: str) -> None:
    """Replace a Monaco editor's text with `text` through the clipboard."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Control+V")


def run(page: Page, tab_title: str = "<untitled>") -> None:
    """Click the run button once GraphiQL has parsed the new text.

    GraphiQL reads the editor after a short delay; clicking before that runs
    the previous document (or opens its operation picker). The tab's title,
    the operation's name, shows when it has caught up.
    """
    expect(page.get_by_role("tab", selected=True)).to_have_text(tab_title)
    page.get_by_role("button", name="Execute query (Ctrl-Enter)").click()
