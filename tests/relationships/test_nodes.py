"""Global object identification: `node(id)` and `nodes(ids)` for every type with an id.

Each answers the object, or null where nothing with that id is visible to
the viewer: never an error, and the same null for an id that names nothing.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import pytest

from resolvers.ids import MAX_KEY, Kind
from resolvers.nodes import MAX_IDS
from tests.clock import FakeClock
from tests.people import Person, act, activate, new_mentor, propose
from tests.support import Client, id_of

ANYTHING = """
query Anything($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Member { displayName }
    ... on Mentor { displayName member { id displayName } }
    ... on Mentee { displayName member { id displayName } }
    ... on Relationship { status viewerRole mentor { id } mentee { id } }
    ... on Agreement { version proposedBy { id } relationship { id } }
    ... on Message { body sender { id } relationship { id } }
    ... on Feedback { rating givenBy { id } relationship { id } }
  }
}
"""


@dataclass
class World:
    """One of each kind between a mentor and a mentee, by global id."""

    mentor: Person
    mentee: Person
    relationship: str
    agreement: str
    message: str
    feedback: str

    def ids(self) -> dict[str, str]:
        """__typename -> an id of that type."""
        return {
            "Member": self.mentee.user_id,
            "Mentor": self.mentor.profile_id,
            "Mentee": self.mentee.profile_id,
            "Relationship": self.relationship,
            "Agreement": self.agreement,
            "Message": self.message,
            "Feedback": self.feedback,
        }


@pytest.fixture
async def world(mentor: Person, mentee: Person, clock: FakeClock) -> World:
    relationship = await activate(mentor, mentee, clock)
    extension = await propose(mentor, relationship, clock, days=200)
    message = await act(
        mentee, "SendMessage", input={"relationshipId": relationship, "body": "Thank you!"}
    )
    await act(mentee, "EndRelationship", relationshipId=relationship)
    feedback = await act(mentee, "GiveFeedback", relationshipId=relationship, rating=5)
    return World(
        mentor,
        mentee,
        relationship,
        extension["id"],
        message["sendMessage"]["id"],
        feedback["giveFeedback"]["id"],
    )


async def node(client: Client, id: str) -> Any:
    return (await client.query(ANYTHING, {"id": id})).data["node"]


async def test_a_participant_reads_every_kind_back_by_its_id(world: World) -> None:
    for typename, id in world.ids().items():
        found = await node(world.mentor.client, id)

        assert (found["__typename"], found["id"]) == (typename, id)


async def test_each_kind_answers_with_its_own_fields(world: World) -> None:
    mentee, mentor = world.mentee, world.mentor
    seen = {typename: await node(mentor.client, id) for typename, id in world.ids().items()}

    assert seen["Member"]["displayName"] == "Mika Mentee"
    assert seen["Mentee"]["member"] == {"id": mentee.user_id, "displayName": "Mika Mentee"}
    assert seen["Relationship"]["status"] == "ENDED"
    assert seen["Relationship"]["viewerRole"] == "MENTOR"
    assert seen["Relationship"]["mentee"] == {"id": mentee.profile_id}
    assert seen["Agreement"]["version"] == 2
    assert seen["Agreement"]["proposedBy"] == {"id": mentor.user_id}
    assert seen["Message"]["body"] == "Thank you!"
    assert seen["Message"]["sender"] == {"id": mentee.user_id}
    assert seen["Feedback"]["givenBy"] == {"id": mentee.user_id}
    for kind in ("Agreement", "Message", "Feedback"):
        assert seen[kind]["relationship"] == {"id": world.relationship}


async def test_the_contract_node_query_runs_for_every_kind(world: World) -> None:
    for id in world.ids().values():
        found = (await world.mentee.client.op("Node", id=id)).data["node"]

        assert found["id"] == id


async def test_an_outsider_sees_only_public_mentors_and_their_people(
    world: World, outsider: Person
) -> None:
    visible = {
        typename
        for typename, id in world.ids().items()
        if await node(outsider.client, id) is not None
    }
    mentor_as_person = await node(outsider.client, world.mentor.user_id)

    assert visible == {"Mentor"}
    assert mentor_as_person == {
        "__typename": "Member",
        "id": world.mentor.user_id,
        "displayName": "Marta Mentor",
    }


async def test_an_anonymous_client_sees_only_public_mentors_and_their_people(
    world: World, anon: Client
) -> None:
    visible = {typename for typename, id in world.ids().items() if await node(anon, id) is not None}

    assert visible == {"Mentor"}
    assert (await node(anon, world.mentor.user_id))["displayName"] == "Marta Mentor"


async def test_an_incomplete_mentor_profile_is_its_owners_alone(
    anon: Client, mentee: Person
) -> None:
    draft = await new_mentor(anon, "draft@example.org", "Dora Draft", bio=None)

    assert (await node(draft.client, draft.profile_id))["__typename"] == "Mentor"
    assert await node(mentee.client, draft.profile_id) is None
    assert await node(anon, draft.profile_id) is None
    assert await node(mentee.client, draft.user_id) is None


async def test_the_viewer_reads_their_own_person_and_profiles(mentee: Person) -> None:
    viewer = (await mentee.client.op("Viewer")).data["viewer"]

    assert (await node(mentee.client, viewer["id"]))["__typename"] == "Member"
    assert (await node(mentee.client, mentee.profile_id))["member"]["id"] == viewer["id"]


def _spelled(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "nonsense",
        "1",  # a decimal key: `node` takes every kind, so it would be ambiguous
        "🙂",
        "x" * 10_000,
        _spelled("Mentor"),
        _spelled("Mentor:"),
        _spelled("Mentor:abc"),
        _spelled("Mentor:-1"),
        _spelled(f"Mentor:{MAX_KEY + 1}"),
        _spelled("Mentor:1") + "==",  # not the canonical spelling
        _spelled("User:1"),  # not a kind of id: a User's id is its Member's
        _spelled("Nothing:1"),
        id_of(Kind.VIEWER_EVENT, "an-event"),  # events are not stored
    ],
)
async def test_an_id_that_names_nothing_answers_null(world: World, garbage: str) -> None:
    reply = await world.mentor.client.query(ANYTHING, {"id": garbage})

    assert reply.data == {"node": None}


async def test_an_id_of_a_row_that_does_not_exist_answers_null(world: World) -> None:
    missing = [id_of(kind, 999_999) for kind in Kind if kind is not Kind.VIEWER_EVENT]

    reply = await world.mentor.client.op("Nodes", ids=missing)

    assert reply.data == {"nodes": [None] * len(missing)}


async def test_nodes_answers_one_entry_per_id_in_order(world: World, outsider: Person) -> None:
    ids = [world.relationship, "nonsense", world.mentor.profile_id, world.relationship]

    mine = (await world.mentee.client.op("Nodes", ids=ids)).data["nodes"]
    theirs = (await outsider.client.op("Nodes", ids=ids)).data["nodes"]

    assert [entry and entry["__typename"] for entry in mine] == [
        "Relationship",
        None,
        "Mentor",
        "Relationship",
    ]
    assert [entry and entry["id"] for entry in theirs] == [None, None, ids[2], None]


async def test_nodes_refuses_more_ids_than_a_page(world: World) -> None:
    within = await world.mentee.client.op("Nodes", ids=[world.relationship] * MAX_IDS)
    over = await world.mentee.client.op("Nodes", ids=[world.relationship] * (MAX_IDS + 1))

    assert len(within.data["nodes"]) == MAX_IDS
    assert (over.code, over.error_field) == ("BAD_USER_INPUT", "ids")


async def test_ids_are_unique_across_types_for_the_same_key(world: World) -> None:
    # The first user, mentor profile, relationship... all have primary key 1.
    ones = {kind: id_of(kind, 1) for kind in Kind if kind is not Kind.VIEWER_EVENT}
    everything = [*world.ids().values(), world.mentor.user_id]

    assert len(set(ones.values())) == len(ones)
    assert len(set(everything)) == len(everything)
    assert world.mentor.user_id == id_of(Kind.MEMBER, 1)
    assert world.mentor.profile_id == id_of(Kind.MENTOR, 1)


async def test_the_contract_node_query_names_the_type_of_every_visible_id(
    world: World,
) -> None:
    reply = await world.mentee.client.op("Node", id=world.agreement)

    assert reply.data["node"] == {
        "__typename": "Agreement",
        "id": world.agreement,
        "version": 2,
        "agreementStatus": "PROPOSED",
    }
