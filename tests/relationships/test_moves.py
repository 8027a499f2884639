"""Every illegal move is CONFLICT, every wrong actor FORBIDDEN, every outsider NOT_FOUND.

The expectations are written from the contract's rules, independently of the
server's transition table, and each refusal must leave the status unchanged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tests.clock import FakeClock
from tests.people import (
    Person,
    propose,
    reach,
    request,
    seen_by,
    status_of,
    terms,
)
from tests.support import Client, Response

STATUSES = [
    "REQUESTED",
    "ACCEPTED",
    "DECLINED",
    "WITHDRAWN",
    "EXPIRED",
    "ACTIVE",
    "COMPLETED",
    "ENDED",
]
# action -> the statuses the contract allows it in
ALLOWED_IN = {
    "accept": {"REQUESTED"},
    "decline": {"REQUESTED"},
    "withdraw": {"REQUESTED"},
    "propose": {"ACCEPTED", "ACTIVE", "COMPLETED"},
    "acceptTerms": {"ACCEPTED", "ACTIVE", "COMPLETED"},
    "end": {"ACCEPTED", "ACTIVE"},
    "feedback": {"COMPLETED", "ENDED"},
}

Attempt = Callable[[Person, Person, str, FakeClock], Awaitable[Response]]


async def _accept_terms(mentor: Person, mentee: Person, rid: str, clock: FakeClock) -> Response:
    # The mentee accepts version 1 (proposed by the mentor where that is possible):
    # the right actor, so only the status can refuse it.
    await mentor.client.op("ProposeAgreement", input=terms(rid, clock))
    return await mentee.client.op("AcceptAgreement", relationshipId=rid, version=1)


# Each attempt is made by the side the contract lets take the action.
ATTEMPTS: dict[str, Attempt] = {
    "accept": lambda mentor, mentee, rid, clock: mentor.client.op(
        "AcceptRequest", relationshipId=rid
    ),
    "decline": lambda mentor, mentee, rid, clock: mentor.client.op(
        "DeclineRequest", relationshipId=rid
    ),
    "withdraw": lambda mentor, mentee, rid, clock: mentee.client.op(
        "WithdrawRequest", relationshipId=rid
    ),
    "propose": lambda mentor, mentee, rid, clock: mentee.client.op(
        "ProposeAgreement", input=terms(rid, clock)
    ),
    "acceptTerms": _accept_terms,
    "end": lambda mentor, mentee, rid, clock: mentee.client.op(
        "EndRelationship", relationshipId=rid
    ),
    "feedback": lambda mentor, mentee, rid, clock: mentee.client.op(
        "GiveFeedback", relationshipId=rid, rating=5
    ),
}


@pytest.mark.parametrize("status", STATUSES)
async def test_every_move_the_status_forbids_is_a_conflict_and_changes_nothing(
    mentor: Person, mentee: Person, clock: FakeClock, status: str
) -> None:
    relationship_id = await reach(status, mentor, mentee, clock)
    assert await status_of(mentee, relationship_id) == status
    before = await seen_by(mentor, relationship_id)

    for action, allowed in ALLOWED_IN.items():
        if status in allowed:
            continue
        reply = await ATTEMPTS[action](mentor, mentee, relationship_id, clock)

        assert reply.code == "CONFLICT", (action, reply.body)
        assert await seen_by(mentor, relationship_id) == before, action


WRONG_ACTORS = [
    ("the mentee accepts its own request", "mentee", "AcceptRequest"),
    ("the mentee declines its own request", "mentee", "DeclineRequest"),
    ("the mentor withdraws the mentee's request", "mentor", "WithdrawRequest"),
]


@pytest.mark.parametrize(
    ("case", "actor", "operation"), WRONG_ACTORS, ids=[c[0] for c in WRONG_ACTORS]
)
async def test_a_participant_acting_outside_their_role_is_forbidden(
    mentor: Person, mentee: Person, case: str, actor: str, operation: str
) -> None:
    relationship_id = await request(mentee, mentor)
    person = mentee if actor == "mentee" else mentor

    reply = await person.client.op(operation, relationshipId=relationship_id)

    assert reply.code == "FORBIDDEN"
    assert await status_of(mentor, relationship_id) == "REQUESTED"


@pytest.mark.parametrize("status", ["DECLINED", "ACTIVE"])
async def test_the_role_is_checked_before_the_status(
    mentor: Person, mentee: Person, clock: FakeClock, status: str
) -> None:
    relationship_id = await reach(status, mentor, mentee, clock)

    reply = await mentee.client.op("AcceptRequest", relationshipId=relationship_id)

    assert reply.code == "FORBIDDEN"


async def test_the_proposer_cannot_accept_its_own_terms(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await reach("ACCEPTED", mentor, mentee, clock)
    await propose(mentor, relationship_id, clock)

    reply = await mentor.client.op("AcceptAgreement", relationshipId=relationship_id, version=1)

    assert reply.code == "FORBIDDEN"
    assert (await seen_by(mentee, relationship_id))["agreement"]["status"] == "PROPOSED"


def _outsider_attempts(rid: str, clock: FakeClock) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("AcceptRequest", {"relationshipId": rid}),
        ("DeclineRequest", {"relationshipId": rid}),
        ("WithdrawRequest", {"relationshipId": rid}),
        ("ProposeAgreement", {"input": terms(rid, clock)}),
        ("AcceptAgreement", {"relationshipId": rid, "version": 1}),
        ("EndRelationship", {"relationshipId": rid}),
        ("GiveFeedback", {"relationshipId": rid, "rating": 5}),
    ]


@pytest.mark.parametrize("status", ["REQUESTED", "ACTIVE", "ENDED"])
async def test_outsiders_never_learn_that_a_relationship_exists(
    mentor: Person, mentee: Person, outsider: Person, clock: FakeClock, status: str
) -> None:
    relationship_id = await reach(status, mentor, mentee, clock)
    before = await seen_by(mentor, relationship_id)

    for operation, variables in _outsider_attempts(relationship_id, clock):
        reply = await outsider.client.op(operation, **variables)
        assert reply.code == "NOT_FOUND", operation
        assert reply.errors[0]["message"] == "No such relationship."
    reply = await outsider.client.query(
        "query($id: ID!) { relationship(id: $id) { id } }", {"id": relationship_id}
    )
    assert reply.code == "NOT_FOUND"
    mine = await outsider.client.query("{ myRelationships { id } }")
    assert mine.data["myRelationships"] == []
    assert await seen_by(mentor, relationship_id) == before


@pytest.mark.parametrize("relationship_id", ["999999", "abc", "-1", "", "1" * 40])
async def test_unknown_or_malformed_ids_are_not_found(
    mentee: Person, clock: FakeClock, relationship_id: str
) -> None:
    for operation, variables in _outsider_attempts(relationship_id, clock):
        assert (await mentee.client.op(operation, **variables)).code == "NOT_FOUND", operation


async def test_relationship_operations_need_a_signed_in_user(
    anon: Client, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await request(mentee, mentor)

    for operation, variables in _outsider_attempts(relationship_id, clock):
        assert (await anon.op(operation, **variables)).code == "UNAUTHENTICATED", operation
    reply = await anon.op(
        "RequestMentoring", input={"mentorId": mentor.profile_id, "message": "x" * 60}
    )
    assert reply.code == "UNAUTHENTICATED"
    assert (await anon.query("{ myRelationships { id } }")).code == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("actor", "operation", "status"),
    [("mentor", "DeclineRequest", "REQUESTED"), ("mentee", "EndRelationship", "ACTIVE")],
)
async def test_a_reason_over_1000_characters_is_bad_input_and_changes_nothing(
    mentor: Person, mentee: Person, clock: FakeClock, actor: str, operation: str, status: str
) -> None:
    relationship_id = await reach(status, mentor, mentee, clock)
    person = mentor if actor == "mentor" else mentee

    reply = await person.client.op(operation, relationshipId=relationship_id, reason="x" * 1001)

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == "reason"
    assert await status_of(mentee, relationship_id) == status
