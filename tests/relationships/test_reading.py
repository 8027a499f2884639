"""Reading relationships: every way of asking gives the same answer.

`myRelationships` and `relationship(id)` read with one statement what the
query selects (partners' names, current terms, last message, unread count)
and leave the rest to loaders; mutations return relationships read through
the ORM, with everything loaded when selected. These tests hold the paths to
one another: the same relationship, asked for everything, through lists,
single reads, fragments, aliases and a mutation, answers the same.
"""

from __future__ import annotations

from typing import Any

from tests.clock import FakeClock
from tests.people import Person, act, activate

PROFILE = "id displayName headline country languages topics channels contactLinks { kind value }"
EVERYTHING = f"""
  id status viewerRole createdAt respondedAt startsOn endsOn endedAt
  requestTopics requestGoals declineReason endReason requestMessage unreadCount
  mentor {{ {PROFILE} capacity acceptingMentees completeness {{ percent isComplete }} }}
  mentee {{ {PROFILE} situation targetCountry goals }}
  agreement {{ version status goals topics cadence channels startsOn endsOn
               proposedBy {{ id displayName }} }}
  agreements {{ version status proposedBy {{ id displayName }} }}
  lastMessage {{ id body sentAt cursor sender {{ id displayName }} }}
  messages(last: 10) {{ pageInfo {{ hasPreviousPage startCursor }}
    edges {{ cursor node {{ id body sender {{ id displayName }} }} }} }}
"""


async def _conversation(mentor: Person, mentee: Person, clock: FakeClock) -> str:
    relationship_id = await activate(mentor, mentee, clock)
    for person, body in ((mentor, "Welcome aboard."), (mentee, "Thank you, see you Friday.")):
        await act(person, "SendMessage", input={"relationshipId": relationship_id, "body": body})
    return relationship_id


async def _listed(person: Person, selection: str) -> list[dict[str, Any]]:
    reply = await person.client.query(f"{{ myRelationships {{ {selection} }} }}")
    assert "errors" not in reply.body
    listed: list[dict[str, Any]] = reply.data["myRelationships"]
    return listed


async def _one(person: Person, relationship_id: str, selection: str) -> dict[str, Any]:
    reply = await person.client.query(
        f"query ($id: ID!) {{ relationship(id: $id) {{ {selection} }} }}", {"id": relationship_id}
    )
    assert "errors" not in reply.body
    one: dict[str, Any] = reply.data["relationship"]
    return one


async def test_a_list_a_single_read_and_a_mutation_answer_alike(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await _conversation(mentor, mentee, clock)

    for person in (mentor, mentee):
        [listed] = await _listed(person, EVERYTHING)
        one = await _one(person, relationship_id, EVERYTHING)
        marked = await person.client.query(
            f"mutation ($id: ID!, $upTo: String!) {{"
            f" markMessagesRead(relationshipId: $id, upTo: $upTo) {{ {EVERYTHING} }} }}",
            {"id": relationship_id, "upTo": listed["messages"]["pageInfo"]["startCursor"]},
        )

        assert listed == one
        # Marking up to the first message leaves the partner's later one unread.
        assert marked.data["markMessagesRead"] == {**one, "unreadCount": 1}


async def test_what_a_list_shows_is_the_real_data(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await _conversation(mentor, mentee, clock)

    [listed] = await _listed(mentor, EVERYTHING)

    assert listed["id"] == relationship_id
    assert listed["viewerRole"] == "MENTOR"
    assert listed["mentor"]["displayName"] == "Marta Mentor"
    assert listed["mentee"]["displayName"] == "Mika Mentee"
    # From ACCEPTED on, the partner's contact links show; the profile is whole.
    assert listed["mentee"]["contactLinks"] != []
    assert listed["mentor"]["completeness"]["isComplete"] is True
    assert listed["agreement"]["version"] == 1
    assert listed["agreement"]["proposedBy"] == {"id": mentee.user_id, "displayName": "Mika Mentee"}
    assert listed["lastMessage"]["body"] == "Thank you, see you Friday."
    assert listed["lastMessage"]["sender"] == {"id": mentee.user_id, "displayName": "Mika Mentee"}
    assert listed["unreadCount"] == 2  # the mentee's request and reply
    bodies = [edge["node"]["body"] for edge in listed["messages"]["edges"]]
    assert bodies[-2:] == ["Welcome aboard.", "Thank you, see you Friday."]


async def test_fragments_and_aliases_select_like_fields(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    await _conversation(mentor, mentee, clock)
    plain = "id unreadCount mentor { id displayName } agreement { version } lastMessage { body }"
    document = """
    {
      myRelationships {
        ...Card
        partner: mentee { ...Name }
        ... on Relationship { agreement { version } lastMessage { body } }
      }
    }
    fragment Card on Relationship { id unreadCount mentor { ...Name headline } }
    fragment Name on Profile { id displayName }
    """

    both = plain + " mentee { id displayName } headline: mentor { headline }"
    [expected] = await _listed(mentor, both)
    reply = await mentor.client.query(document)

    assert "errors" not in reply.body
    [got] = reply.data["myRelationships"]
    assert got["mentor"] == {**expected["mentor"], "headline": expected["headline"]["headline"]}
    assert got["partner"] == expected["mentee"]
    assert got["unreadCount"] == expected["unreadCount"] == 2
    assert got["agreement"] == expected["agreement"]
    assert got["lastMessage"] == expected["lastMessage"]


async def test_a_status_filter_keeps_the_given_statuses_only(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await _conversation(mentor, mentee, clock)

    active = await mentor.client.op("MyRelationships", status=["ACTIVE"])
    requested = await mentor.client.op("MyRelationships", status=["REQUESTED", "DECLINED"])

    assert [item["id"] for item in active.data["myRelationships"]] == [relationship_id]
    assert requested.data["myRelationships"] == []
