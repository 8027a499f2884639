"""Subscriptions are served over WebSocket only: over HTTP they are a clear 400, not a crash."""

from __future__ import annotations

import logging

import pytest

from tests.support import Client, client_operations

SERVED_OVER_WEBSOCKET = "Subscriptions are served over WebSocket at /graphql"
SUBSCRIPTION = client_operations()["ViewerEvents"]
ANONYMOUS_SUBSCRIPTION = "subscription { viewerEvents { kind } }"


def assert_refused(status: int, body: dict[str, object]) -> None:
    assert status == 400, body
    assert body == {
        "errors": [{"message": SERVED_OVER_WEBSOCKET, "extensions": {"code": "BAD_USER_INPUT"}}]
    }


@pytest.mark.parametrize("document", [SUBSCRIPTION, ANONYMOUS_SUBSCRIPTION])
@pytest.mark.parametrize("accept", ["application/json", "application/graphql-response+json"])
async def test_a_subscription_over_http_is_a_400_and_logs_nothing(
    user: Client, document: str, accept: str, caplog: pytest.LogCaptureFixture
) -> None:
    headers = {"authorization": f"Bearer {user.token}", "accept": accept}
    with caplog.at_level(logging.WARNING):
        posted = await user.http.post("/graphql", json={"query": document}, headers=headers)
        got = await user.http.get("/graphql", params={"query": document}, headers=headers)

    assert_refused(posted.status_code, posted.json())
    assert_refused(got.status_code, got.json())
    assert posted.headers["content-type"].startswith(accept)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


async def test_the_subscription_chosen_by_operation_name_is_refused(user: Client) -> None:
    document = "query Viewer { viewer { id } } " + SUBSCRIPTION
    reply = await user.query(document, operationName="ViewerEvents")
    runs = await user.query(document, operationName="Viewer")

    assert_refused(reply.status, reply.body)
    assert runs.data["viewer"]["id"] == user.user_id


async def test_a_mutation_over_get_is_still_405(user: Client) -> None:
    document = "mutation { logout }"
    reply = await user.http.get("/graphql", params={"query": document})

    assert reply.status_code == 405
    assert reply.headers["allow"] == "POST"
