"""Hundreds of concurrent sends on the embedded default (one process, SQLite).

Every send succeeds, none is lost, none is doubled, and the conversation's
order has no gap: what `BEGIN IMMEDIATE`, the busy timeout and the
per-conversation sequence promise together.
"""

from __future__ import annotations

import asyncio

import httpx

from tests.conversations import send
from tests.people import Person

SENDS_PER_SIDE = 150
PAGE = 100


async def every_body(person: Person, relationship_id: str) -> list[str]:
    """The whole conversation, oldest first, paging backwards from the newest."""
    bodies: list[str] = []
    before: str | None = None
    while True:
        reply = await person.client.op(
            "Conversation", relationshipId=relationship_id, last=PAGE, before=before
        )
        messages = reply.data["relationship"]["messages"]
        bodies = [edge["node"]["body"] for edge in messages["edges"]] + bodies
        if not messages["pageInfo"]["hasPreviousPage"]:
            return bodies
        before = messages["pageInfo"]["startCursor"]


async def test_hundreds_of_concurrent_sends_all_land_once_in_one_order(
    mentor: Person, mentee: Person, chat: str
) -> None:
    # All 300 are in flight at once, in this test's event loop beside the
    # server: the last answers come seconds after they were sent, on a slow
    # machine beyond httpx's default 5 s. What is checked here is that every
    # send lands once and in order, not how long the queue takes.
    mentor.client.http.timeout = httpx.Timeout(60)
    sends = [
        send(person, chat, f"{name} #{number}")
        for number in range(SENDS_PER_SIDE)
        for person, name in ((mentor, "mentor"), (mentee, "mentee"))
    ]

    results = await asyncio.gather(*sends, return_exceptions=True)

    failures = [result for result in results if isinstance(result, BaseException)]
    assert failures == []
    bodies = await every_body(mentee, chat)
    sent = bodies[1:]  # the first message is the request's
    assert len(sent) == 2 * SENDS_PER_SIDE
    assert len(set(sent)) == len(sent), "a message was stored twice"
    for name in ("mentor", "mentee"):
        own = [int(body.split("#")[1]) for body in sent if body.startswith(name)]
        assert sorted(own) == list(range(SENDS_PER_SIDE)), f"{name}'s messages are incomplete"
