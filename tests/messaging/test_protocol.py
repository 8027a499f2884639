"""The graphql-transport-ws rules, over a real socket."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest

from app import Settings
from tests.live import LiveServer, connect, serve
from tests.people import Person

PING = {"type": "ping"}


async def test_ping_is_answered_by_pong(server: LiveServer) -> None:
    async with connect(server) as socket:
        await socket.send(PING)
        assert await socket.receive() == {"type": "pong"}


async def test_an_invalid_message_closes_with_4400(server: LiveServer) -> None:
    async with connect(server) as socket:
        await socket.send({"type": "nonsense"})
        assert await socket.close_code() == 4400
    async with connect(server) as socket:
        await socket.connection.send("not json")
        assert await socket.close_code() == 4400


async def test_subscribing_before_the_ack_closes_with_4401(server: LiveServer) -> None:
    async with connect(server, init=False) as socket:
        await socket.send(
            {"id": "1", "type": "subscribe", "payload": {"query": "{ viewer { id } }"}}
        )
        assert await socket.close_code() == 4401


async def test_a_second_connection_init_closes_with_4429(server: LiveServer) -> None:
    async with connect(server) as socket:
        await socket.send({"type": "connection_init", "payload": {}})
        assert await socket.close_code() == 4429


async def test_a_duplicate_operation_id_closes_with_4409(
    server: LiveServer, mentee: Person, chat: str
) -> None:
    async with connect(server, mentee.client.token) as socket:
        await socket.subscribe("same", "MessageAdded", relationshipId=chat)
        await socket.subscribe("same", "MessageAdded", relationshipId=chat)
        assert await socket.close_code() == 4409


@pytest.fixture
async def impatient(settings: Settings) -> AsyncIterator[LiveServer]:
    async with serve(dataclasses.replace(settings, connection_init_wait=0.2)) as server:
        yield server


async def test_no_connection_init_in_time_closes_with_4408(impatient: LiveServer) -> None:
    async with connect(impatient, init=False) as socket:
        assert await socket.close_code() == 4408


async def test_one_connection_runs_at_most_20_operations(
    server: LiveServer, mentee: Person, chat: str
) -> None:
    async with connect(server, mentee.client.token) as socket:
        for number in range(20):
            await socket.subscribe(str(number), "MessageAdded", relationshipId=chat)
        await socket.subscribe("one too many", "ViewerEvents")
        refusal = await socket.receive()

    assert refusal["type"] == "error"
    assert refusal["id"] == "one too many"
    assert refusal["payload"][0]["message"] == "Subscription limit reached"


TOO_MANY_TOKENS = "{ " + " ".join(f"a{n}: viewer {{ id }}" for n in range(200)) + " }"
TOO_COSTLY = """{ myRelationships {
  messages(last: 100) { edges { node { id sender { id } } } } agreements { goals } } }"""


@pytest.mark.parametrize("document", [TOO_MANY_TOKENS, TOO_COSTLY])
async def test_query_limits_apply_over_websocket(
    server: LiveServer, mentee: Person, document: str
) -> None:
    async with connect(server, mentee.client.token) as socket:
        await socket.send({"id": "q", "type": "subscribe", "payload": {"query": document}})
        answer = await socket.receive()
        await socket.send(PING)
        still_open = await socket.receive()

    assert answer["type"] == "error"
    assert answer["payload"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert still_open == {"type": "pong"}
