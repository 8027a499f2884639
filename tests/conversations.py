"""Sending and reading messages over HTTP with the contract's operations."""

from __future__ import annotations

from typing import Any

from tests.people import Person


async def send(person: Person, relationship_id: str, body: str, **extra: Any) -> dict[str, Any]:
    reply = await person.client.op(
        "SendMessage", input={"relationshipId": relationship_id, "body": body, **extra}
    )
    message: dict[str, Any] = reply.data["sendMessage"]
    return message


async def conversation(person: Person, relationship_id: str, **paging: Any) -> dict[str, Any]:
    reply = await person.client.op("Conversation", relationshipId=relationship_id, **paging)
    messages: dict[str, Any] = reply.data["relationship"]["messages"]
    return messages


def bodies(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["body"] for edge in connection["edges"]]


async def listed(person: Person) -> dict[str, dict[str, Any]]:
    """The person's relationships by id, as MyRelationships shows them."""
    items = (await person.client.op("MyRelationships")).data["myRelationships"]
    return {item["id"]: item for item in items}
