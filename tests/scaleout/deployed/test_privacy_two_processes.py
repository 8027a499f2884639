"""Blocking and erasure across two processes on PostgreSQL and Redis: what one process
decides holds on the other at once, live sockets included."""

from __future__ import annotations

import pytest

from tests.people import Person, new_mentor
from tests.scaleout.cluster import Node, connect, events_flowing, messages_flowing, on
from tests.support import Client

pytestmark = [
    pytest.mark.services,
    pytest.mark.asyncio(loop_scope="module"),
]

PASSWORD = "correct horse"


async def test_an_erasure_on_one_process_closes_the_members_sockets_on_the_other(
    first: Node, second: Node, pair: tuple[Person, Person, str], tag: int
) -> None:
    mentor, mentee, chat = pair
    async with (
        connect(second, mentor.client.token) as partner,
        connect(second, mentee.client.token) as erased,
    ):
        await partner.subscribe("e", "ViewerEvents")
        probe = await events_flowing(partner, mentee, chat)
        await messages_flowing(erased, mentor, chat, after=probe["cursor"])

        deleted = await mentee.client.op("DeleteAccount", password=PASSWORD)
        assert deleted.data == {"deleteAccount": True}

        assert await erased.close_code() == 4403
        kind = ""
        while kind != "RELATIONSHIP_ENDED":  # after any late MESSAGE_RECEIVED of the probes
            ended = (await partner.next_data("e"))["viewerEvents"]
            kind = ended["kind"]
    assert ended["relationship"]["status"] == "ENDED"
    assert (await second.as_user(mentee.client).op("Viewer")).data == {"viewer": None}
    # The other process reads the erased member's messages as erased, not with a cached key.
    page = await on(second, mentor).client.op("Conversation", relationshipId=chat, last=10)
    senders = {
        edge["node"]["body"]
        for edge in page.data["relationship"]["messages"]["edges"]
        if edge["node"]["sender"]["id"] == mentee.user_id
    }
    assert senders == {"[deleted with its author's account]"}
    again = await Client(http=second.http).register(f"mentee-{tag}@example.org", "Mika Again")
    assert again.user_id != mentee.user_id


async def test_a_block_on_one_process_hides_and_refuses_on_the_other(
    first: Node, second: Node, pair: tuple[Person, Person, str], tag: int
) -> None:
    mentor, mentee, chat = pair
    other = await new_mentor(Client(http=first.http), f"other-{tag}@example.org", "Olga Other")

    blocked = await mentee.client.op("BlockMember", memberId=mentor.user_id)
    assert blocked.data["blockMember"]["blockedMembers"][0]["id"] == mentor.user_id

    on_second = on(second, mentee)
    found = (await on_second.client.op("SearchMentors", first=100)).data["searchMentors"]
    ids = {edge["node"]["id"] for edge in found["edges"]}
    assert mentor.profile_id not in ids
    assert other.profile_id in ids
    refused = await on(second, mentor).client.op(
        "SendMessage", input={"relationshipId": chat, "body": "Hello?"}
    )
    assert refused.code == "NOT_FOUND"
