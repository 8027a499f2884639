"""The WebSocket endpoint speaks graphql-transport-ws."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from app import create_app
from tests.support import settings_for


def test_graphql_transport_ws_handshake_and_ping(tmp_path: Path) -> None:
    with (
        TestClient(create_app(settings_for(tmp_path))) as client,
        client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as socket,
    ):
        socket.send_json({"type": "connection_init", "payload": {}})
        assert socket.receive_json() == {"type": "connection_ack"}
        socket.send_json({"type": "ping"})
        assert socket.receive_json() == {"type": "pong"}


def test_the_legacy_protocol_is_not_offered(tmp_path: Path) -> None:
    with (
        TestClient(create_app(settings_for(tmp_path))) as client,
        client.websocket_connect("/graphql", subprotocols=["graphql-ws"]) as socket,
    ):
        message = socket.receive()
    assert message["type"] == "websocket.close"
    assert message["code"] == 4406
