"""Moderators, reports and suspensions for the moderation tests, over HTTP as clients see them."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from orm import roles
from orm.binding import bound
from orm.vocabulary import RoleName
from tests.clock import FakeClock
from tests.people import Person, act, request
from tests.support import Client, Response

REASON = "Repeated insults in the conversation."


async def grant_moderator(app: Starlette, email: str) -> None:
    """What `python -m app grant-role EMAIL MODERATOR` does (tests/test_cli.py runs it)."""
    with bound(app.state.tortoise):
        assert await roles.grant(email, RoleName.MODERATOR, app.state.settings.clock())


async def moderator_client(app: Starlette, anon: Client, email: str = "mod@example.org") -> Client:
    client = await anon.register(email, "Moni Moderator")
    await grant_moderator(app, email)
    return client


async def send(person: Person, relationship_id: str, body: str) -> str:
    sent = await act(person, "SendMessage", input={"relationshipId": relationship_id, "body": body})
    message_id: str = sent["sendMessage"]["id"]
    return message_id


async def conversation(
    mentee: Person, mentor: Person, clock: FakeClock, *bodies: str
) -> tuple[str, list[str]]:
    """An accepted request with the given messages, alternating from the mentee: ids."""
    relationship_id = await request(mentee, mentor)
    await act(mentor, "AcceptRequest", relationshipId=relationship_id)
    ids = []
    for index, body in enumerate(bodies):
        clock.advance(seconds=1)
        ids.append(await send(mentee if index % 2 == 0 else mentor, relationship_id, body))
    return relationship_id, ids


async def report(reporter: Client, member_id: str, **extra: Any) -> Response:
    values = {"memberId": member_id, "reason": "HARASSMENT", **extra}
    return await reporter.op("ReportMember", input=values)


async def reports(moderator: Client, **variables: Any) -> list[dict[str, Any]]:
    data = (await moderator.op("Reports", **variables)).data["reports"]
    return [edge["node"] for edge in data["edges"]]
