"""Agreements as versions: propose, supersede, accept only the latest, extend."""

from __future__ import annotations

from typing import Any

import pytest

from orm.models import Agreement
from tests.clock import FakeClock
from tests.people import (
    Person,
    accept_terms,
    act,
    activate,
    new_mentee,
    new_mentor,
    propose,
    reach,
    seen_by,
    terms,
)
from tests.support import Client


def versions(seen: dict[str, Any]) -> list[tuple[int, str]]:
    return [(a["version"], a["status"]) for a in seen["agreements"]]


async def test_a_new_proposal_supersedes_the_open_one_and_only_the_latest_can_be_accepted(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await reach("ACCEPTED", mentor, mentee, clock)
    await propose(mentee, relationship_id, clock, days=180)
    second = await propose(mentor, relationship_id, clock, days=120)
    assert second["version"] == 2
    assert second["relationship"] == {
        "id": relationship_id,
        "pendingAgreement": {"id": second["id"], "version": 2},
    }

    seen = await seen_by(mentee, relationship_id)
    assert versions(seen) == [(1, "SUPERSEDED"), (2, "PROPOSED")]
    assert seen["agreement"]["version"] == 2
    assert seen["status"] == "ACCEPTED"

    reply = await mentor.client.op("AcceptAgreement", relationshipId=relationship_id, version=1)
    assert reply.code == "CONFLICT"

    active = await accept_terms(mentee, relationship_id, 2)
    assert active["status"] == "ACTIVE"
    assert active["agreement"] == {"id": second["id"], "version": 2, "status": "ACCEPTED"}
    assert active["pendingAgreement"] is None
    assert active["endsOn"] == "2026-06-30"


async def test_an_unknown_version_is_not_found(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await reach("ACCEPTED", mentor, mentee, clock)
    await propose(mentee, relationship_id, clock)

    reply = await mentor.client.op("AcceptAgreement", relationshipId=relationship_id, version=7)

    assert reply.code == "NOT_FOUND"


async def test_a_proposal_on_an_active_relationship_keeps_the_current_terms_until_accepted(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await activate(mentor, mentee, clock, days=90)
    proposal = await propose(mentor, relationship_id, clock, days=200)

    seen = await seen_by(mentee, relationship_id)
    assert (seen["status"], seen["endsOn"]) == ("ACTIVE", "2026-05-31")
    assert seen["agreement"]["version"] == 1
    assert versions(seen) == [(1, "ACCEPTED"), (2, "PROPOSED")]

    extended = await accept_terms(mentee, relationship_id, proposal["version"])

    assert (extended["status"], extended["endsOn"]) == ("ACTIVE", "2026-09-18")
    assert versions(await seen_by(mentor, relationship_id)) == [(1, "SUPERSEDED"), (2, "ACCEPTED")]


async def test_a_list_shows_each_relationship_once_with_its_current_terms(
    anon: Client, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    active = await activate(mentor, mentee, clock)
    await propose(mentor, active, clock, days=200)
    await propose(mentee, active, clock, days=150)
    second_mentee = await new_mentee(anon, "second-mentee@example.org", "Selma Second")
    accepted = await reach("ACCEPTED", mentor, second_mentee, clock)
    await propose(second_mentee, accepted, clock)

    reply = await mentor.client.query(
        "{ myRelationships { id agreement { version status } agreements { version } } }"
    )

    # Newest first; the accepted version stays current while newer ones are
    # proposed, and without one the latest proposal is.
    listed = [
        (item["id"], item["agreement"], len(item["agreements"]))
        for item in reply.data["myRelationships"]
    ]
    assert listed == [
        (accepted, {"version": 1, "status": "PROPOSED"}, 1),
        (active, {"version": 1, "status": "ACCEPTED"}, 3),
    ]


async def test_a_completed_relationship_is_extended_once_the_other_side_accepts(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await reach("COMPLETED", mentor, mentee, clock)
    proposal = await propose(mentee, relationship_id, clock, days=60)

    seen = await seen_by(mentor, relationship_id)
    assert seen["status"] == "COMPLETED"
    assert seen["agreement"] == {
        "version": 1,
        "status": "ACCEPTED",
        "endsOn": "2026-04-01",
        "proposedBy": {"id": mentee.user_id, "displayName": "Mika Mentee"},
    }

    revived = await accept_terms(mentor, relationship_id, proposal["version"])

    assert revived["status"] == "ACTIVE"
    assert revived["agreement"] == {"id": proposal["id"], "version": 2, "status": "ACCEPTED"}


async def test_reviving_a_completed_relationship_needs_a_free_place(
    anon: Client, mentee: Person, clock: FakeClock
) -> None:
    mentor = await new_mentor(anon, "one@example.org", "One Place", capacity=1)
    relationship_id = await reach("COMPLETED", mentor, mentee, clock)
    other = await new_mentee(anon, "other@example.org", "Other")
    await activate(mentor, other, clock)
    proposal = await propose(mentor, relationship_id, clock, days=60)

    reply = await mentee.client.op(
        "AcceptAgreement", relationshipId=relationship_id, version=proposal["version"]
    )

    assert reply.code == "CONFLICT"
    seen = await seen_by(mentee, relationship_id)
    assert seen["status"] == "COMPLETED"
    assert versions(seen) == [(1, "ACCEPTED"), (2, "PROPOSED")]


async def test_the_span_may_reach_24_months_but_no_further(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await reach("ACCEPTED", mentor, mentee, clock)
    longest = terms(relationship_id, clock, startsOn="2026-03-31", endsOn="2028-03-31")

    assert (await mentee.client.op("ProposeAgreement", input=longest)).data

    too_long = {**longest, "endsOn": "2028-04-01"}
    reply = await mentee.client.op("ProposeAgreement", input=too_long)
    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == "endsOn"


BAD_TERMS: list[tuple[str, dict[str, Any]]] = [
    ("goals", {"goals": []}),
    ("goals", {"goals": [f"Goal {i}" for i in range(11)]}),
    ("goals[0]", {"goals": ["x" * 501]}),
    ("goals[1]", {"goals": ["Fine", "   "]}),
    ("topics", {"topics": []}),
    ("channels", {"channels": []}),
    ("expectations", {"expectations": "x" * 2001}),
    ("endsOn", {"startsOn": "2026-04-01", "endsOn": "2026-04-01"}),
    ("endsOn", {"startsOn": "2026-04-01", "endsOn": "2026-03-31"}),
    ("endsOn", {"startsOn": "2025-01-01", "endsOn": "2026-03-01"}),
]


@pytest.mark.parametrize(("field", "changes"), BAD_TERMS)
async def test_bad_terms_name_the_field_and_store_nothing(
    mentor: Person, mentee: Person, clock: FakeClock, field: str, changes: dict[str, Any]
) -> None:
    relationship_id = await reach("ACCEPTED", mentor, mentee, clock)

    reply = await mentee.client.op(
        "ProposeAgreement", input=terms(relationship_id, clock, **changes)
    )

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == field
    assert await Agreement.all().count() == 0


async def test_every_bad_term_is_reported_at_once(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await reach("ACCEPTED", mentor, mentee, clock)
    bad: dict[str, Any] = {"goals": ["Fine", "   "], "channels": [], "expectations": "x" * 2001}

    reply = await mentee.client.op("ProposeAgreement", input=terms(relationship_id, clock, **bad))

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == "goals[1]"
    assert list(reply.field_errors) == ["goals[1]", "expectations", "channels"]
    assert await Agreement.all().count() == 0


async def test_terms_are_stored_as_sent_and_read_back(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await reach("ACCEPTED", mentor, mentee, clock)
    sent = terms(relationship_id, clock, channels=["EMAIL", "PHONE", "EMAIL"], expectations=None)

    proposed = (await act(mentor, "ProposeAgreement", input=sent))["proposeAgreement"]

    assert proposed == {
        "id": proposed["id"],
        "version": 1,
        "status": "PROPOSED",
        "goals": sent["goals"],
        "topics": ["CAREER_PLANNING"],
        "expectations": None,
        "cadence": "BIWEEKLY",
        "channels": ["EMAIL", "PHONE"],
        "startsOn": sent["startsOn"],
        "endsOn": sent["endsOn"],
        "proposedBy": {"id": mentor.user_id},
        "relationship": {
            "id": relationship_id,
            "pendingAgreement": {"id": proposed["id"], "version": 1},
        },
    }
