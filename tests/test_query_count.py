"""SQL statements per contract operation: a budget each, and none that grows with the rows.

Every query and mutation of the shared contract runs once over HTTP, as a
client sends it, while the statements Tortoise sends are counted. A count
over its budget fails: a nested field that queries per row (N+1), or a
read that lost its batching, shows up here first. Lists read through
per-request DataLoaders, so their counts do not depend on their length:
MyRelationships lists 1 and 20 relationships, Conversation pages 1 and 50
messages, Workspace shows 1 and 50 steps with 1 and 20 meetings,
SearchMentors and MentorSuggestions find 1 and several mentors, Nodes reads
1 and several ids of each kind, with the same number of statements.

The subscriptions (MessageAdded, ViewerEvents) are not request-scoped: their
replay reads pages of the same query functions as Conversation, and their
tests are in tests/messaging.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from app import Settings
from orm.member_keys import MessageKeys
from orm.messages import add_message
from orm.models import ActionStep, Agreement, Meeting, MenteeProfile, Relationship, User
from tests.clock import FakeClock
from tests.moderation.helpers import moderator_client
from tests.people import (
    MENTEE_PROFILE,
    MENTOR_PROFILE,
    MESSAGE,
    Person,
    act,
    activate,
    counting_queries,
    new_mentee,
    new_mentor,
    propose,
    reach,
    request,
    terms,
)
from tests.support import (
    Client,
    NoRateLimits,
    client_operations,
    key_of,
    settings_for,
)

# The SQL statements each operation may send, at most (signed in, the first
# is the session lookup; BEGIN and COMMIT are not counted). Lower a budget
# when a change saves a statement.
BUDGETS = {
    "Register": 3,
    "Login": 2,
    "Logout": 2,
    "ChangePassword": 6,
    "LogoutEverywhere": 3,
    "Viewer": 3,
    "UpdateAccount": 2,
    "NotificationSettings": 2,
    "UpdateNotificationSettings": 2,
    "Topics": 0,
    "SaveMentorProfile": 3,
    "SaveMenteeProfile": 3,
    # The mentor's answered and expired requests (`responsiveness`): one statement.
    "MentorProfile": 4,
    "SearchMentors": 2,
    # The threshold's seed is a statement of its own (orm.suggestions.best_mentors).
    "MentorSuggestions": 5,
    "MatchScore": 3,
    # Each of these queues its e-mail in its transaction (one INSERT).
    # One statement asks whether either blocked the other (resolvers.requests).
    "RequestMentoring": 15,
    # An answer also counts for the mentor's responsiveness (one UPDATE).
    "AcceptRequest": 7,
    "DeclineRequest": 6,
    "WithdrawRequest": 4,
    "ProposeAgreement": 9,
    "AcceptAgreement": 8,
    # One UPDATE cancels the meetings still to come, however many.
    "EndRelationship": 6,
    "GiveFeedback": 7,
    "MyRelationships": 2,
    "Conversation": 3,
    "SendMessage": 6,
    "MarkRead": 6,
    "Workspace": 4,
    "AddActionStep": 3,
    "UpdateActionStep": 6,
    "DeleteActionStep": 5,
    "ProposeMeeting": 5,
    "RespondToMeeting": 8,
    "CancelMeeting": 6,
    "CalendarFeed": 3,
    "ResetCalendarFeed": 3,
    "BlockMember": 12,
    "UnblockMember": 6,
    # One statement per table, whatever the number of relationships and messages.
    "MyData": 13,
    # One transaction: the moves (an ending also cancels meetings still to come), then one
    # statement per table the account touches.
    "DeleteAccount": 22,
    "Node": 2,
    "Nodes": 9,
    # The role check is one statement of each moderation operation.
    "ReportMember": 8,
    "Reports": 6,
    # A suspension also revokes the sessions and withdraws the open requests.
    "ResolveReport": 11,
    "SuspendMember": 10,
    "ReinstateMember": 5,
    "ModerationLog": 3,
    "ProgramStats": 4,
}
SUBSCRIPTIONS = {"MessageAdded", "ViewerEvents"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return settings_for(tmp_path, clock=clock, rate_limiter=NoRateLimits())


@dataclass
class World:
    anon: Client
    mentor: Person
    mentee: Person
    clock: FakeClock
    # The app's own message keys, for messages the tests store directly.
    keys: MessageKeys
    app: Starlette


@pytest.fixture
async def world(app: Starlette, anon: Client, clock: FakeClock) -> World:
    mentor = await new_mentor(anon, "mentor@example.org", "Marta Mentor")
    mentee = await new_mentee(anon, "mentee@example.org", "Mika Mentee")
    return World(anon, mentor, mentee, clock, app.state.services.message_keys, app)


Call = tuple[Client, dict[str, Any]]


async def _accepted(w: World) -> str:
    relationship_id = await request(w.mentee, w.mentor)
    await act(w.mentor, "AcceptRequest", relationshipId=relationship_id)
    return relationship_id


async def _proposed(w: World) -> Call:
    relationship_id = await _accepted(w)
    await propose(w.mentee, relationship_id, w.clock)
    return w.mentor.client, {"relationshipId": relationship_id, "version": 1}


async def _with_messages(w: World) -> str:
    relationship_id = await activate(w.mentor, w.mentee, w.clock)
    for body in ("Hello there", "How was the interview?"):
        await act(w.mentee, "SendMessage", input={"relationshipId": relationship_id, "body": body})
    return relationship_id


async def _mark_read(w: World) -> Call:
    relationship_id = await _with_messages(w)
    page = await act(w.mentor, "Conversation", relationshipId=relationship_id)
    cursor = page["relationship"]["messages"]["edges"][-1]["cursor"]
    return w.mentor.client, {"relationshipId": relationship_id, "upTo": cursor}


async def _node(w: World) -> Call:
    relationship_id = await _with_messages(w)
    return w.mentee.client, {"id": relationship_id}


async def every_kind(w: World) -> list[str]:
    """An id of each kind a client may hold, all visible to the mentee."""
    relationship_id = await _with_messages(w)
    listed = (await w.mentee.client.op("MyRelationships")).data["myRelationships"][0]
    return [
        w.mentor.user_id,
        w.mentor.profile_id,
        w.mentee.profile_id,
        relationship_id,
        listed["agreement"]["id"],
        listed["lastMessage"]["id"],
    ]


async def _nodes(w: World) -> Call:
    return w.mentee.client, {"ids": await every_kind(w)}


async def _login(w: World) -> Call:
    await w.anon.register("ada@example.org", "Ada")
    return w.anon, {"email": "ada@example.org", "password": "correct horse"}


def _meeting(relationship_id: str, clock: FakeClock, days: int = 2) -> dict[str, Any]:
    starts_at = clock.now + timedelta(days=days)
    return {
        "relationshipId": relationship_id,
        "startsAt": starts_at.isoformat(),
        "durationMinutes": 60,
        "channel": "VIDEO_CALL",
    }


async def _working(w: World) -> str:
    """An active relationship with two steps and two meetings, one confirmed."""
    relationship_id = await activate(w.mentor, w.mentee, w.clock)
    for title in ("Send CV", "Pick labs"):
        await act(
            w.mentee, "AddActionStep", input={"relationshipId": relationship_id, "title": title}
        )
    for days in (2, 3):
        await act(w.mentee, "ProposeMeeting", input=_meeting(relationship_id, w.clock, days))
    return relationship_id


async def _step_input(w: World, relationship: Awaitable[str]) -> Call:
    step = {"relationshipId": await relationship, "title": "Send CV", "ownerId": w.mentee.user_id}
    return w.mentor.client, {"input": step}


async def _step_id(w: World) -> Call:
    relationship_id = await activate(w.mentor, w.mentee, w.clock)
    added = await act(
        w.mentee, "AddActionStep", input={"relationshipId": relationship_id, "title": "CV"}
    )
    return w.mentor.client, {"id": added["addActionStep"]["id"]}


async def _with_step(w: World, **changes: Any) -> Call:
    client, variables = await _step_id(w)
    return client, {"input": {"id": variables["id"], **changes}}


async def _meeting_input(w: World, relationship: Awaitable[str]) -> Call:
    return w.mentee.client, {"input": _meeting(await relationship, w.clock)}


async def _with_meeting(w: World, **variables: Any) -> Call:
    relationship_id = await activate(w.mentor, w.mentee, w.clock)
    proposed = await act(w.mentee, "ProposeMeeting", input=_meeting(relationship_id, w.clock))
    return w.mentor.client, {"id": proposed["proposeMeeting"]["id"], **variables}


async def _moderator(w: World) -> Client:
    return await moderator_client(w.app, w.anon)


async def _filed(w: World) -> str:
    """A report with two attached messages, as moderators read it."""
    relationship_id = await _with_messages(w)
    page = await act(w.mentee, "Conversation", relationshipId=relationship_id)
    ids = [edge["node"]["id"] for edge in page["relationship"]["messages"]["edges"]][-2:]
    filed = await act(
        w.mentor,
        "ReportMember",
        input={"memberId": w.mentee.user_id, "reason": "SPAM", "messageIds": ids},
    )
    report_id: str = filed["reportMember"]["id"]
    return report_id


async def _report_input(w: World) -> Call:
    relationship_id = await _with_messages(w)
    page = await act(w.mentee, "Conversation", relationshipId=relationship_id)
    ids = [edge["node"]["id"] for edge in page["relationship"]["messages"]["edges"]]
    values = {"memberId": w.mentee.user_id, "reason": "SPAM", "messageIds": ids}
    return w.mentor.client, {"input": values}


async def _moderating(w: World, **variables: Any) -> Call:
    await _filed(w)
    return await _moderator(w), variables


async def _resolving(w: World) -> Call:
    report_id = await _filed(w)
    return await _moderator(w), {"id": report_id, "action": "SUSPEND", "note": "Spam."}


async def _suspending(w: World, name: str) -> Call:
    await request(w.mentee, w.mentor)
    moderator = await _moderator(w)
    if name == "ReinstateMember":
        await moderator.op("SuspendMember", memberId=w.mentee.user_id, reason="Spam.")
    return moderator, {"memberId": w.mentee.user_id, "reason": "Spam."}


SEARCH_FILTER = {"text": "research", "topics": ["SUBJECT_EXPERTISE"], "languages": ["de"]}

# How to reach the state each operation needs, and what to send it.


async def _block(w: World) -> Call:
    # The costly case: a running relationship between the two ends.
    await activate(w.mentor, w.mentee, w.clock)
    return w.mentee.client, {"memberId": w.mentor.user_id}


async def _delete_account(w: World) -> Call:
    # The costly case: a running relationship ends with the account.
    await activate(w.mentor, w.mentee, w.clock)
    return w.mentee.client, {"password": "correct horse"}


async def _unblock(w: World) -> Call:
    await w.mentee.client.op("BlockMember", memberId=w.mentor.user_id)
    return w.mentee.client, {"memberId": w.mentor.user_id}


GIVEN: dict[str, Callable[[World], Awaitable[Call]]] = {
    "Register": lambda w: _ready(
        w.anon, input={"email": "new@example.org", "password": "a long one", "displayName": "N"}
    ),
    "Login": _login,
    "Logout": lambda w: _ready(w.mentor.client),
    "ChangePassword": lambda w: _ready(
        w.mentor.client, currentPassword="correct horse", newPassword="another long one"
    ),
    "LogoutEverywhere": lambda w: _ready(w.mentor.client),
    "Viewer": lambda w: _ready(w.mentor.client),
    "UpdateAccount": lambda w: _ready(
        w.mentor.client, input={"displayName": "Marta M.", "locale": "DE"}
    ),
    "NotificationSettings": lambda w: _ready(w.mentor.client),
    "UpdateNotificationSettings": lambda w: _ready(
        w.mentor.client, input={"unreadMessages": False, "requestReminders": False}
    ),
    "Topics": lambda w: _ready(w.anon),
    "SaveMentorProfile": lambda w: _ready(w.mentor.client, input=MENTOR_PROFILE),
    "SaveMenteeProfile": lambda w: _ready(w.mentee.client, input=MENTEE_PROFILE),
    "MentorProfile": lambda w: _ready(w.mentee.client, id=w.mentor.profile_id),
    "SearchMentors": lambda w: _ready(w.anon, filter=SEARCH_FILTER, first=20),
    "MentorSuggestions": lambda w: _ready(w.mentee.client, first=10),
    "MatchScore": lambda w: _ready(w.mentee.client, mentorId=w.mentor.profile_id),
    "RequestMentoring": lambda w: _ready(
        w.mentee.client, input={"mentorId": w.mentor.profile_id, "message": MESSAGE}
    ),
    "AcceptRequest": lambda w: _on(w.mentor, request(w.mentee, w.mentor)),
    "DeclineRequest": lambda w: _on(w.mentor, request(w.mentee, w.mentor), reason="Full."),
    "WithdrawRequest": lambda w: _on(w.mentee, request(w.mentee, w.mentor)),
    "ProposeAgreement": lambda w: _terms(w, _accepted(w)),
    "AcceptAgreement": _proposed,
    "EndRelationship": lambda w: _on(w.mentee, activate(w.mentor, w.mentee, w.clock)),
    "GiveFeedback": lambda w: _on(w.mentee, reach("ENDED", w.mentor, w.mentee, w.clock), rating=5),
    "MyRelationships": lambda w: _after(_with_messages(w), w.mentor.client),
    "Conversation": lambda w: _on(w.mentor, _with_messages(w), last=50),
    "SendMessage": lambda w: _send(w, activate(w.mentor, w.mentee, w.clock)),
    "MarkRead": _mark_read,
    "Workspace": lambda w: _on(w.mentor, _working(w)),
    "AddActionStep": lambda w: _step_input(w, activate(w.mentor, w.mentee, w.clock)),
    "UpdateActionStep": lambda w: _with_step(w, done=True, title="Send the CV"),
    "DeleteActionStep": _step_id,
    "ProposeMeeting": lambda w: _meeting_input(w, activate(w.mentor, w.mentee, w.clock)),
    "RespondToMeeting": lambda w: _with_meeting(w, accept=True),
    "CancelMeeting": lambda w: _with_meeting(w, reason="Ill"),
    "CalendarFeed": lambda w: _ready(w.mentee.client),
    "ResetCalendarFeed": lambda w: _ready(w.mentee.client),
    "Node": _node,
    "Nodes": _nodes,
    "BlockMember": _block,
    "UnblockMember": _unblock,
    "MyData": lambda w: _after(_with_messages(w), w.mentee.client),
    "DeleteAccount": _delete_account,
    "ReportMember": _report_input,
    "Reports": lambda w: _moderating(w, status=["OPEN"], first=20),
    "ResolveReport": _resolving,
    "SuspendMember": lambda w: _suspending(w, "SuspendMember"),
    "ReinstateMember": lambda w: _suspending(w, "ReinstateMember"),
    "ModerationLog": lambda w: _moderating(w, first=20),
    "ProgramStats": lambda w: _moderating(w),
}


async def _ready(client: Client, **variables: Any) -> Call:
    return client, variables


async def _on(person: Person, relationship: Awaitable[str], **variables: Any) -> Call:
    return person.client, {"relationshipId": await relationship, **variables}


async def _after(done: Awaitable[object], client: Client, **variables: Any) -> Call:
    await done
    return client, variables


async def _terms(w: World, relationship: Awaitable[str]) -> Call:
    return w.mentee.client, {"input": terms(await relationship, w.clock)}


async def _send(w: World, relationship: Awaitable[str]) -> Call:
    return w.mentee.client, {"input": {"relationshipId": await relationship, "body": "Hi"}}


async def statements(client: Client, operation: str, variables: dict[str, Any]) -> int:
    with counting_queries() as sent:
        reply = await client.op(operation, **variables)
    reply.data  # noqa: B018 - fails the test on any error
    return len(sent)


def test_every_served_query_and_mutation_has_a_budget() -> None:
    assert set(BUDGETS) == set(GIVEN)
    assert set(BUDGETS) | SUBSCRIPTIONS == set(client_operations())


@pytest.mark.parametrize("operation", sorted(BUDGETS))
async def test_an_operation_stays_within_its_budget_of_statements(
    world: World, operation: str
) -> None:
    client, variables = await GIVEN[operation](world)

    count = await statements(client, operation, variables)

    assert count <= BUDGETS[operation], f"{operation} sent {count} statements"


# ---------------------------------------------------------------- lists


async def add_relationships(
    mentor: Person, count: int, clock: FakeClock, keys: MessageKeys
) -> None:
    """`count` mentees with relationships to `mentor`: half active under two versions of terms."""
    start = clock.now.date()
    for index in range(count):
        user = await User.create(
            email=f"bulk{index}@example.org", display_name=f"Bulk {index}", password_hash="x"
        )
        mentee = await MenteeProfile.create(user=user, headline=f"Mentee {index}")
        active = index % 2 == 0
        relationship = await Relationship.create(
            mentor_id=key_of(mentor.profile_id),
            mentee=mentee,
            status="ACTIVE" if active else "REQUESTED",
            created_at=clock.now - timedelta(hours=index),
            starts_on=start if active else None,
            ends_on=start + timedelta(days=90) if active else None,
        )
        await add_message(
            keys, relationship_id=relationship.id, sender_id=user.id, body=MESSAGE, at=clock.now
        )
        for version, status in ((1, "SUPERSEDED"), (2, "ACCEPTED")) if active else ():
            await Agreement.create(
                relationship=relationship,
                version=version,
                proposed_by_id=user.id if version == 1 else key_of(mentor.user_id),
                status=status,
                goals=["A goal"],
                topics=["NETWORKING"],
                cadence="MONTHLY",
                channels=["EMAIL"],
                starts_on=start,
                ends_on=start + timedelta(days=90),
                created_at=clock.now,
            )


async def test_my_relationships_costs_the_same_for_1_and_20(world: World) -> None:
    await add_relationships(world.mentor, 1, world.clock, world.keys)
    one = await statements(world.mentor.client, "MyRelationships", {})
    await Relationship.all().delete()
    await User.filter(email__startswith="bulk").delete()
    await add_relationships(world.mentor, 20, world.clock, world.keys)

    twenty = await statements(world.mentor.client, "MyRelationships", {})
    listed = (await world.mentor.client.op("MyRelationships")).data["myRelationships"]

    assert len(listed) == 20
    assert {item["agreement"]["version"] for item in listed if item["status"] == "ACTIVE"} == {2}
    assert all(item["lastMessage"]["body"] == MESSAGE for item in listed)
    assert all(item["unreadCount"] == 1 for item in listed)
    assert one == twenty <= BUDGETS["MyRelationships"]


async def test_a_conversation_page_costs_the_same_for_1_and_50_messages(world: World) -> None:
    relationship_id = await activate(world.mentor, world.mentee, world.clock)
    senders = (key_of(world.mentee.user_id), key_of(world.mentor.user_id))

    async def add(count: int) -> None:
        for index in range(count):
            await add_message(
                world.keys,
                relationship_id=key_of(relationship_id),
                sender_id=senders[index % 2],
                body=f"Message {index}",
                at=world.clock.now,
            )

    variables = {"relationshipId": relationship_id, "last": 50}
    await add(1)
    one = await statements(world.mentor.client, "Conversation", variables)
    await add(49)

    fifty = await statements(world.mentor.client, "Conversation", variables)
    page = (await world.mentor.client.op("Conversation", **variables)).data

    assert len(page["relationship"]["messages"]["edges"]) == 50
    assert one == fifty <= BUDGETS["Conversation"]


async def test_search_and_suggestions_cost_the_same_for_1_and_several_mentors(
    world: World,
) -> None:
    async def counts() -> tuple[int, int, int]:
        search = await statements(world.anon, "SearchMentors", {"filter": SEARCH_FILTER})
        suggested = await statements(world.mentee.client, "MentorSuggestions", {"first": 10})
        found = (await world.mentee.client.op("MentorSuggestions", first=10)).data
        return search, suggested, len(found["mentorSuggestions"])

    *one, found_one = await counts()
    for index in range(5):
        await new_mentor(world.anon, f"more{index}@example.org", f"Mentor {index}")

    *six, found_six = await counts()

    assert (found_one, found_six) == (1, 6)
    assert one == six


async def test_a_workspace_costs_the_same_for_1_and_50_steps_with_20_meetings(
    world: World,
) -> None:
    relationship_id = await activate(world.mentor, world.mentee, world.clock)
    users = (key_of(world.mentee.user_id), key_of(world.mentor.user_id))
    now = world.clock.now

    async def add(steps: int, meetings: int) -> None:
        for index in range(steps):
            await ActionStep.create(
                relationship_id=key_of(relationship_id),
                title=f"Step {index}",
                owner_id=users[index % 2],
                created_by_id=users[(index + 1) % 2],
                created_at=now,
                updated_at=now,
            )
        for index in range(meetings):
            starts_at = now + timedelta(days=index + 1)
            await Meeting.create(
                relationship_id=key_of(relationship_id),
                proposed_by_id=users[index % 2],
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                duration_minutes=60,
                channel="PHONE",
                status="CONFIRMED",
                created_at=now,
                updated_at=now,
            )

    variables = {"relationshipId": relationship_id}
    await add(1, 1)
    one = await statements(world.mentor.client, "Workspace", variables)
    await add(49, 19)

    many = await statements(world.mentor.client, "Workspace", variables)
    shown = (await world.mentor.client.op("Workspace", **variables)).data["relationship"]

    assert (len(shown["actionSteps"]), len(shown["meetings"])) == (50, 20)
    assert one == many <= BUDGETS["Workspace"]


async def test_nodes_costs_the_same_for_one_and_many_ids_of_each_kind(world: World) -> None:
    ids = await every_kind(world)
    one = await statements(world.mentee.client, "Nodes", {"ids": ids})
    for index in range(3):
        relationship_id = await activate(
            await new_mentor(world.anon, f"more{index}@example.org", f"Mentor {index}"),
            world.mentee,
            world.clock,
        )
        await act(
            world.mentee, "SendMessage", input={"relationshipId": relationship_id, "body": "Hi"}
        )
    listed = (await world.mentee.client.op("MyRelationships")).data["myRelationships"]
    more = ids + [
        id
        for item in listed
        for id in (item["id"], item["agreement"]["id"], item["lastMessage"]["id"])
    ]

    many = await statements(world.mentee.client, "Nodes", {"ids": more})
    found = (await world.mentee.client.op("Nodes", ids=more)).data["nodes"]

    assert len(more) > 3 * len(ids) // 2
    assert None not in found
    assert one == many <= BUDGETS["Nodes"]
