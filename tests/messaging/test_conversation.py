"""Sending and reading a conversation over HTTP: order, paging, idempotency, unread counts."""

from __future__ import annotations

import asyncio

import pytest

from tests.clock import FakeClock
from tests.conversations import bodies, conversation, listed, send
from tests.people import MESSAGE, Person, new_mentee, new_mentor, reach
from tests.support import Client


async def test_messages_come_back_in_order_with_their_sender(
    mentor: Person, mentee: Person, chat: str
) -> None:
    first = await send(mentor, chat, "Welcome aboard!")
    second = await send(mentee, chat, "Thank you, glad to start.")

    page = await conversation(mentee, chat, last=10)

    assert bodies(page) == [MESSAGE, "Welcome aboard!", "Thank you, glad to start."]
    nodes = [edge["node"] for edge in page["edges"]]
    assert [node["sender"]["id"] for node in nodes] == [
        mentee.user_id,
        mentor.user_id,
        mentee.user_id,
    ]
    assert nodes[1]["sender"]["displayName"] == "Marta Mentor"
    assert [node["cursor"] for node in nodes[1:]] == [first["cursor"], second["cursor"]]
    assert first["sender"] == {"id": mentor.user_id}


async def test_paging_backwards_with_last_and_before_reaches_the_first_message(
    mentor: Person, mentee: Person, chat: str
) -> None:
    for index in range(7):
        await send(mentor, chat, f"Message {index}")

    newest = await conversation(mentee, chat, last=3)
    older = await conversation(mentee, chat, last=3, before=newest["pageInfo"]["startCursor"])
    oldest = await conversation(mentee, chat, last=3, before=older["pageInfo"]["startCursor"])

    assert bodies(newest) == ["Message 4", "Message 5", "Message 6"]
    assert bodies(older) == ["Message 1", "Message 2", "Message 3"]
    assert bodies(oldest) == [MESSAGE, "Message 0"]
    assert newest["pageInfo"]["hasPreviousPage"] is True
    assert oldest["pageInfo"]["hasPreviousPage"] is False


async def test_paging_forwards_with_first_and_after(
    mentor: Person, mentee: Person, chat: str
) -> None:
    for index in range(4):
        await send(mentor, chat, f"Message {index}")
    query = """query($id: ID!, $after: String) { relationship(id: $id) {
      messages(first: 2, after: $after) {
        pageInfo { hasNextPage endCursor } edges { node { body } } } } }"""

    pages = []
    after = None
    while True:
        reply = await mentee.client.query(query, {"id": chat, "after": after})
        connection = reply.data["relationship"]["messages"]
        pages.append([edge["node"]["body"] for edge in connection["edges"]])
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]

    assert pages == [[MESSAGE, "Message 0"], ["Message 1", "Message 2"], ["Message 3"]]


@pytest.mark.parametrize("argument", ["before", "after"])
@pytest.mark.parametrize("cursor", ["%%%", "bm90IGl0", "bTE6LTE=", ""])
async def test_a_malformed_cursor_is_bad_user_input(
    mentee: Person, chat: str, argument: str, cursor: str
) -> None:
    query = (
        f"query($id: ID!, $cursor: String) {{ relationship(id: $id) {{"
        f" messages({argument}: $cursor) {{ edges {{ cursor }} }} }} }}"
    )
    reply = await mentee.client.query(query, {"id": chat, "cursor": cursor})

    assert (reply.code, reply.error_field) == ("BAD_USER_INPUT", argument)


async def test_the_same_client_message_id_returns_the_first_message(
    mentor: Person, mentee: Person, chat: str
) -> None:
    first = await send(mentee, chat, "Only once, please.", clientMessageId="c-1")
    again = await send(mentee, chat, "Only once, please.", clientMessageId="c-1")

    assert again == first
    assert first["clientMessageId"] == "c-1"
    assert bodies(await conversation(mentor, chat, last=10)) == [MESSAGE, "Only once, please."]


async def test_a_client_message_id_is_the_senders_own_across_conversations(
    anon: Client, mentor: Person, mentee: Person, chat: str, clock: FakeClock
) -> None:
    other_mentor = await new_mentor(anon, "second@example.org", "Sven Second")
    elsewhere = await reach("ACCEPTED", other_mentor, mentee, clock)
    await send(mentee, chat, "First here.", clientMessageId="mine")

    reused = await mentee.client.op(
        "SendMessage",
        input={"relationshipId": elsewhere, "body": "Then there.", "clientMessageId": "mine"},
    )
    partners_own = await send(mentor, chat, "Same id, other sender.", clientMessageId="mine")

    assert (reused.code, reused.error_field) == ("CONFLICT", "clientMessageId")
    assert bodies(await conversation(other_mentor, elsewhere, last=10)) == [MESSAGE]
    assert partners_own["body"] == "Same id, other sender."


async def test_racing_identical_sends_add_one_message(
    mentor: Person, mentee: Person, chat: str
) -> None:
    replies = await asyncio.gather(
        *(
            send(mentee, chat, "Sent from a flaky network.", clientMessageId="race")
            for _ in range(8)
        )
    )

    assert len({reply["id"] for reply in replies}) == 1
    assert bodies(await conversation(mentor, chat, last=10)) == [
        MESSAGE,
        "Sent from a flaky network.",
    ]


async def test_unread_counts_and_the_last_message_follow_the_read_marker(
    mentor: Person, mentee: Person, chat: str
) -> None:
    await send(mentor, chat, "One")
    second = await send(mentor, chat, "Two")
    await send(mentee, chat, "My own messages are never unread for me.")
    await send(mentor, chat, "Three")

    before = (await listed(mentee))[chat]
    marked = await mentee.client.op("MarkRead", relationshipId=chat, upTo=second["cursor"])
    after = (await listed(mentee))[chat]
    for_mentor = (await listed(mentor))[chat]

    assert before["unreadCount"] == 3
    assert before["lastMessage"]["body"] == "Three"
    assert before["lastMessage"]["sender"] == {"id": mentor.user_id}
    assert marked.data["markMessagesRead"] == {"id": chat, "unreadCount": 1}
    assert after["unreadCount"] == 1
    # The request message is the mentee's; the mentor has not read it yet.
    assert for_mentor["unreadCount"] == 2


async def test_a_list_counts_each_relationships_unread_messages_on_its_own(
    anon: Client, mentor: Person, mentee: Person, chat: str, clock: FakeClock
) -> None:
    second_mentee = await new_mentee(anon, "second-mentee@example.org", "Selma Second")
    other = await reach("ACCEPTED", mentor, second_mentee, clock)
    await send(mentee, chat, "A question.")
    await send(mentee, chat, "And another.")
    read = await send(second_mentee, other, "Read this one.")
    await mentor.client.op("MarkRead", relationshipId=other, upTo=read["cursor"])
    await send(mentor, other, "My own.")
    await send(second_mentee, other, "Not read yet.")

    counts: dict[str, list[tuple[str, int]]] = {}
    for person in (mentor, mentee, second_mentee):
        items = (await person.client.op("MyRelationships")).data["myRelationships"]
        counts[person.user_id] = [(item["id"], item["unreadCount"]) for item in items]

    # Newest first: each relationship once, with its own count. The mentor has
    # the request and two more from the mentee, and one after the read marker.
    assert counts[mentor.user_id] == [(other, 1), (chat, 3)]
    assert counts[mentee.user_id] == [(chat, 0)]
    assert counts[second_mentee.user_id] == [(other, 1)]


async def test_the_read_marker_never_moves_back(mentor: Person, mentee: Person, chat: str) -> None:
    first = await send(mentor, chat, "One")
    second = await send(mentor, chat, "Two")
    await mentee.client.op("MarkRead", relationshipId=chat, upTo=second["cursor"])

    back = await mentee.client.op("MarkRead", relationshipId=chat, upTo=first["cursor"])

    assert back.data["markMessagesRead"]["unreadCount"] == 0


async def test_mark_read_needs_a_cursor(mentee: Person, chat: str) -> None:
    reply = await mentee.client.op("MarkRead", relationshipId=chat, upTo="nonsense")

    assert (reply.code, reply.error_field) == ("BAD_USER_INPUT", "upTo")


@pytest.mark.parametrize(("body", "field"), [("", "body"), (" ", "body"), ("x" * 4001, "body")])
async def test_a_body_out_of_bounds_is_refused_and_sends_nothing(
    mentor: Person, mentee: Person, chat: str, body: str, field: str
) -> None:
    reply = await mentee.client.op("SendMessage", input={"relationshipId": chat, "body": body})

    assert (reply.code, reply.error_field) == ("BAD_USER_INPUT", field)
    assert bodies(await conversation(mentor, chat, last=10)) == [MESSAGE]


async def test_4000_characters_are_fine(mentee: Person, chat: str) -> None:
    assert (await send(mentee, chat, "x" * 4000))["body"] == "x" * 4000


async def test_a_client_message_id_over_100_characters_is_refused(
    mentee: Person, chat: str
) -> None:
    reply = await mentee.client.op(
        "SendMessage", input={"relationshipId": chat, "body": "Hi", "clientMessageId": "x" * 101}
    )

    assert (reply.code, reply.error_field) == ("BAD_USER_INPUT", "clientMessageId")


@pytest.mark.parametrize("status", ["ACCEPTED", "ACTIVE", "COMPLETED"])
async def test_sending_is_open_while_accepted_active_or_completed(
    mentor: Person, mentee: Person, clock: FakeClock, status: str
) -> None:
    relationship_id = await reach(status, mentor, mentee, clock)

    assert (await send(mentor, relationship_id, "Still here."))["body"] == "Still here."


@pytest.mark.parametrize("status", ["REQUESTED", "DECLINED", "WITHDRAWN", "EXPIRED", "ENDED"])
async def test_sending_elsewhere_is_a_conflict(
    mentor: Person, mentee: Person, clock: FakeClock, status: str
) -> None:
    relationship_id = await reach(status, mentor, mentee, clock)

    reply = await mentee.client.op(
        "SendMessage", input={"relationshipId": relationship_id, "body": "Hello?"}
    )

    assert reply.code == "CONFLICT"


async def test_outsiders_see_nothing_of_the_conversation(
    mentor: Person, outsider: Person, chat: str
) -> None:
    await send(mentor, chat, "Private.")

    reads = await outsider.client.op("Conversation", relationshipId=chat, last=5)
    sends = await outsider.client.op("SendMessage", input={"relationshipId": chat, "body": "Hi"})
    marks = await outsider.client.op("MarkRead", relationshipId=chat, upTo="bTE6MQ==")

    assert [reads.code, sends.code, marks.code] == ["NOT_FOUND"] * 3
    assert "Private." not in str(reads.body)


async def test_anonymous_clients_must_sign_in(anon: Client, chat: str) -> None:
    reply = await anon.op("SendMessage", input={"relationshipId": chat, "body": "Hi"})

    assert reply.code == "UNAUTHENTICATED"
