"""blockMember and unblockMember: the two vanish from each other and cannot reach each other."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from resolvers.ids import Kind
from tests.clock import FakeClock
from tests.conversations import send
from tests.live import LiveServer, connect
from tests.people import MESSAGE, Person, act, reach, request, status_of
from tests.support import Client, id_of, key_of

MATCH = "query($id: ID!) { matchScore(mentorId: $id) { eligible exclusions } }"
MENTOR = "query($id: ID!) { mentor(id: $id) { id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
BLOCKED = "You or this mentor blocked the other."


async def block(person: Person, other: Person) -> dict[str, Any]:
    blocked: dict[str, Any] = (await act(person, "BlockMember", memberId=other.user_id))[
        "blockMember"
    ]
    return blocked


async def _searched_ids(person: Person) -> list[str]:
    data = (await person.client.op("SearchMentors", first=100)).data["searchMentors"]
    return [edge["node"]["id"] for edge in data["edges"]]


async def _suggested_ids(person: Person) -> list[str]:
    data = (await person.client.op("MentorSuggestions", first=50)).data["mentorSuggestions"]
    return [each["mentor"]["id"] for each in data]


async def test_the_two_vanish_from_search_suggestions_match_scores_and_node(
    mentor: Person, mentee: Person, outsider: Person
) -> None:
    assert mentor.profile_id in await _searched_ids(mentee)
    assert mentor.profile_id in await _suggested_ids(mentee)

    blocked = await block(mentee, mentor)

    assert blocked["blockedMembers"] == [{"id": mentor.user_id, "displayName": "Marta Mentor"}]
    assert mentor.profile_id not in await _searched_ids(mentee)
    assert mentor.profile_id not in await _suggested_ids(mentee)
    # Others still find the mentor; the blocked one is hidden only from the two.
    assert mentor.profile_id in await _searched_ids(outsider)
    match = (await mentee.client.query(MATCH, {"id": mentor.profile_id})).data["matchScore"]
    assert match == {"eligible": False, "exclusions": [BLOCKED]}
    ids = [mentor.user_id, mentor.profile_id, mentee.profile_id, mentee.user_id]
    seen_by_mentee = (await mentee.client.query(NODES, {"ids": ids})).data["nodes"]
    seen_by_mentor = (await mentor.client.query(NODES, {"ids": ids})).data["nodes"]
    assert seen_by_mentee == [None, None, {"id": mentee.profile_id}, {"id": mentee.user_id}]
    assert seen_by_mentor == [{"id": mentor.user_id}, {"id": mentor.profile_id}, None, None]
    assert (await mentee.client.query(MENTOR, {"id": mentor.profile_id})).code == "NOT_FOUND"


async def test_the_blocked_side_is_hidden_too_and_cannot_request(
    mentor: Person, mentee: Person
) -> None:
    declined = await request(mentee, mentor)  # a mentor knows mentees by their requests
    await block(mentor, mentee)

    assert await status_of(mentee, declined) == "DECLINED"
    assert mentor.profile_id not in await _searched_ids(mentee)
    reply = await mentee.client.op(
        "RequestMentoring", input={"mentorId": mentor.profile_id, "message": MESSAGE}
    )
    assert reply.code == "NOT_FOUND"


async def test_an_open_request_is_withdrawn_by_the_mentee_or_declined_by_the_mentor(
    anon: Client, mentor: Person, mentee: Person, outsider: Person
) -> None:
    withdrawn = await request(mentee, mentor)
    declined = await request(outsider, mentor)

    await block(mentee, mentor)
    await block(mentor, outsider)

    assert await status_of(mentor, withdrawn) == "WITHDRAWN"
    assert await status_of(mentor, declined) == "DECLINED"


async def test_a_running_relationship_ends_and_the_partner_hears_it(
    server: LiveServer, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    chat = await reach("ACTIVE", mentor, mentee, clock)
    async with connect(server, mentor.client.token) as socket:
        await socket.subscribe("e", "ViewerEvents")
        await _until_listening(server, 2)

        await block(mentee, mentor)
        event = (await socket.next_data("e"))["viewerEvents"]

    assert (event["kind"], event["relationship"]) == (
        "RELATIONSHIP_ENDED",
        {"id": chat, "status": "ENDED"},
    )


async def test_sends_between_them_are_not_found_even_after_a_completed_relationship(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    chat = await reach("COMPLETED", mentor, mentee, clock)
    await send(mentee, chat, "Thanks for everything")

    await block(mentor, mentee)

    for person in (mentor, mentee):
        reply = await person.client.op("SendMessage", input={"relationshipId": chat, "body": "x"})
        assert reply.code == "NOT_FOUND"


async def test_blocking_twice_is_idempotent_and_unblocking_restores_search(
    mentor: Person, mentee: Person
) -> None:
    await block(mentee, mentor)
    twice = await block(mentee, mentor)
    assert twice["blockedMembers"] == [{"id": mentor.user_id, "displayName": "Marta Mentor"}]

    unblocked = (await act(mentee, "UnblockMember", memberId=mentor.user_id))["unblockMember"]
    again = (await act(mentee, "UnblockMember", memberId=mentor.user_id))["unblockMember"]

    assert unblocked == again == {"id": mentee.user_id, "blockedMembers": []}
    assert mentor.profile_id in await _searched_ids(mentee)


async def test_an_unblock_lifts_only_ones_own_block(mentor: Person, mentee: Person) -> None:
    await request(mentee, mentor)
    await block(mentee, mentor)
    await block(mentor, mentee)

    await act(mentee, "UnblockMember", memberId=mentor.user_id)

    assert mentor.profile_id not in await _searched_ids(mentee)


async def test_oneself_is_bad_input_and_unknown_or_unseen_members_are_not_found(
    anon: Client, mentor: Person, mentee: Person
) -> None:
    stranger = await anon.register("stranger@example.org", "No Profile")
    assert stranger.user_id is not None

    own = await mentee.client.op("BlockMember", memberId=mentee.user_id)
    unknown = await mentee.client.op("BlockMember", memberId=id_of(Kind.MEMBER, 999_999))
    unseen = await mentee.client.op("BlockMember", memberId=stranger.user_id)

    assert (own.code, own.error_field) == ("BAD_USER_INPUT", "memberId")
    assert unknown.code == "NOT_FOUND"
    assert unseen.code == "NOT_FOUND"
    blocked = (await mentee.client.op("Viewer")).data["viewer"]
    assert key_of(blocked["id"]) == key_of(mentee.user_id)
    listed = await mentee.client.query("{ viewer { blockedMembers { id } } }")
    assert listed.data["viewer"]["blockedMembers"] == []


async def test_without_a_token_blocking_is_unauthenticated(anon: Client, mentor: Person) -> None:
    reply = await anon.op("BlockMember", memberId=mentor.user_id)

    assert reply.code == "UNAUTHENTICATED"


async def _until_listening(server: LiveServer, count: int) -> None:
    for _ in range(500):
        if server.hub.listener_count() >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{server.hub.listener_count()} listeners, expected {count}")


async def test_refusals_are_in_the_readers_language_and_the_codes_are_not(
    mentor: Person, mentee: Person
) -> None:
    german = replace(mentee.client, language="de")

    own = await german.op("BlockMember", memberId=mentee.user_id)
    own_in_english = await mentee.client.op("BlockMember", memberId=mentee.user_id)
    await block(mentee, mentor)
    scored = await german.query(MATCH, {"id": mentor.profile_id})

    assert own.code == own_in_english.code == "BAD_USER_INPUT"
    assert own.field_errors == {"memberId": "Sie können sich nicht selbst blockieren."}
    assert own_in_english.field_errors == {"memberId": "You cannot block yourself."}
    assert own.errors[0]["message"] == "memberId: Sie können sich nicht selbst blockieren."
    assert scored.data["matchScore"]["exclusions"] == [
        "Zwischen Ihnen und dieser Mentorin oder diesem Mentor besteht eine Blockierung."
    ]
