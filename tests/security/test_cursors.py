"""Cursors and ids beyond the database's integer range are the client's mistake, not a crash.

A cursor or id decodes to an integer that reaches SQL; key columns are INT
(32 bits on PostgreSQL, 64 on SQLite), and the driver's own complaint
("Python int too large to convert to SQLite INTEGER", "value out of int32
range") must never reach a client, nor be labelled as the client's.
Everything runs over a real uvicorn, on SQLite and on PostgreSQL: HTTP as a
client sends it, subscriptions over a real graphql-transport-ws socket.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from app import Settings
from resolvers.cursors import SEARCH_PREFIX
from resolvers.ids import MAX_KEY
from schema.core.errors import GENERIC_MESSAGE
from tests.clock import FakeClock
from tests.live import LiveServer, connect
from tests.messaging import conftest as live
from tests.people import Person
from tests.postgres import scratch_database
from tests.support import Client, NoRateLimits, settings_for

HUGE = "9" * 25  # far above 2^63, SQLite's largest integer
BEYOND_INT = str(MAX_KEY + 1)  # the first value PostgreSQL's INT cannot hold
LEAKED = ("too large", "out of", "range")

# The messaging tests' fixtures: a live server, two people, their conversation.
anon, chat, clock, mentee, mentor, server = (
    live.anon,
    live.chat,
    live.clock,
    live.mentee,
    live.mentor,
    live.server,
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.services)])
async def settings(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[Settings]:
    if request.param == "sqlite":
        yield settings_for(tmp_path, clock=clock, rate_limiter=NoRateLimits())
        return
    async with scratch_database(migrated=True) as url:
        yield settings_for(tmp_path, clock=clock, database_url=url, rate_limiter=NoRateLimits())


def cursor(prefix: str, digits: str) -> str:
    return base64.urlsafe_b64encode(f"{prefix}{digits}".encode()).decode()


def assert_refused(errors: list[dict[str, Any]], field: str) -> None:
    assert len(errors) == 1, errors
    error = errors[0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["field"] == field, error
    assert not any(leak in error["message"] for leak in LEAKED), error


@pytest.mark.parametrize("digits", [HUGE, BEYOND_INT])
async def test_a_message_cursor_beyond_any_key_is_bad_user_input_over_http(
    mentee: Person, chat: str, digits: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        before = await mentee.client.op(
            "Conversation", relationshipId=chat, last=5, before=cursor("m1:", digits)
        )
        up_to = await mentee.client.op("MarkRead", relationshipId=chat, upTo=cursor("m1:", digits))
        after = await mentee.client.query(
            "query($id: ID!, $after: String) { relationship(id: $id) {"
            " messages(first: 5, after: $after) { edges { cursor } } } }",
            {"id": chat, "after": cursor("m1:", digits)},
        )

    assert before.status == up_to.status == after.status == 200
    assert_refused(before.errors, "before")
    assert_refused(up_to.errors, "upTo")
    assert_refused(after.errors, "after")
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


async def test_the_largest_key_is_a_cursor(mentee: Person, chat: str) -> None:
    reply = await mentee.client.op(
        "Conversation", relationshipId=chat, last=5, before=cursor("m1:", str(MAX_KEY))
    )

    assert reply.data["relationship"]["messages"]["edges"]  # every message is before it


async def test_a_message_cursor_beyond_any_key_is_bad_user_input_over_websocket(
    server: LiveServer, mentee: Person, chat: str
) -> None:
    async with connect(server, mentee.client.token) as socket:
        await socket.subscribe(
            "huge", "MessageAdded", relationshipId=chat, after=cursor("m1:", HUGE)
        )
        answer = await socket.receive()

    assert answer["type"] in ("error", "next"), answer
    errors = answer["payload"] if answer["type"] == "error" else answer["payload"]["errors"]
    assert_refused(errors, "after")


async def test_a_search_cursor_beyond_any_key_is_bad_user_input(anon: Client) -> None:
    for digits in (HUGE, BEYOND_INT, "9" * 18):
        reply = await anon.op("SearchMentors", after=cursor(SEARCH_PREFIX, digits))
        assert reply.status == 200
        assert_refused(reply.errors, "after")


@pytest.mark.parametrize("digits", [HUGE, BEYOND_INT, "9" * 18, "9" * 11])
async def test_an_id_beyond_any_key_names_nothing(mentee: Person, digits: str) -> None:
    relationship = await mentee.client.op("Conversation", relationshipId=digits)
    mentor = await mentee.client.op("MentorProfile", id=digits)
    sent = await mentee.client.op("SendMessage", input={"relationshipId": digits, "body": "hi"})

    for reply in (relationship, mentor, sent):
        assert reply.status == 200
        assert reply.code == "NOT_FOUND", reply.body


async def test_an_unexpected_error_while_starting_a_subscription_is_masked_and_logged(
    server: LiveServer,
    mentee: Person,
    chat: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A fault before a subscription's first event has no path: it is still ours, not theirs."""

    def broken_listen(*channels: str) -> Any:
        raise RuntimeError("SELECT secret FROM user -- /srv/app/orm/models.py")

    # The one fault injected: nothing in a healthy server fails on demand.
    monkeypatch.setattr(server.hub, "listen", broken_listen)
    with caplog.at_level(logging.ERROR, logger="mentoring.errors"):
        async with connect(server, mentee.client.token) as socket:
            await socket.subscribe("s", "MessageAdded", relationshipId=chat)
            answer = await socket.receive()

    errors = answer["payload"] if answer["type"] == "error" else answer["payload"]["errors"]
    assert errors[0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}, answer
    assert errors[0]["message"] == GENERIC_MESSAGE
    assert "SELECT" not in str(answer)
    assert "SELECT secret" in caplog.text


async def test_a_variable_the_scalar_refuses_is_still_the_clients(
    mentee: Person, chat: str
) -> None:
    reply = await mentee.client.query(
        "query($id: ID!, $last: Int) { relationship(id: $id) { messages(last: $last) {"
        " edges { cursor } } } }",
        {"id": chat, "last": "many"},
    )

    assert reply.code == "BAD_USER_INPUT"
    assert "many" in reply.errors[0]["message"]


async def test_an_integer_beyond_32_bits_is_refused_as_input(anon: Client) -> None:
    """Int arguments are 32-bit by the GraphQL spec, the range of an INT column."""
    literal = await anon.query("{ searchMentors(first: 99999999999) { totalCount } }")
    variable = await anon.query(
        "query($n: Int) { searchMentors(first: $n) { totalCount } }", {"n": 2**63}
    )
    in_filter = await anon.op("SearchMentors", filter={"minYearsOfExperience": 2**31 - 1})

    # A literal out of range is a document that does not validate; a value
    # sent as a variable or inside an input is bad input.
    assert literal.code == "GRAPHQL_VALIDATION_FAILED"
    assert variable.code == in_filter.code == "BAD_USER_INPUT"
    assert in_filter.error_field == "minYearsOfExperience"
