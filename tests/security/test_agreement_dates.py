"""Agreement dates are bounded, and outsiders learn nothing before the participant check.

With the tests' clock at 2026-03-02, `startsOn` lies from one year ago to
two years ahead; dates far out (the year 9999) are BAD_USER_INPUT, not a
server error. Whoever is not a participant gets NOT_FOUND whatever they
send, before any input is checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import Settings
from orm.models import Agreement, Relationship
from tests.clock import FakeClock
from tests.people import (
    Person,
    new_mentee,
    reach,
    terms,
)
from tests.support import Client, NoRateLimits, key_of, settings_for


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return settings_for(tmp_path, clock=clock, rate_limiter=NoRateLimits())


BAD_DATES: list[tuple[str, str, str]] = [
    ("startsOn", "9999-12-30", "9999-12-31"),
    ("startsOn", "0001-01-01", "2026-06-01"),
    ("startsOn", "2028-03-03", "2028-09-01"),  # two years and a day ahead
    ("startsOn", "2025-03-01", "2026-06-01"),  # a year and a day ago
    ("endsOn", "2026-04-01", "9999-12-31"),
    ("endsOn", "2026-04-01", "0001-01-01"),
]


@pytest.mark.parametrize(("field", "starts_on", "ends_on"), BAD_DATES)
async def test_dates_out_of_bounds_are_bad_input_naming_the_field(
    mentor: Person, mentee: Person, clock: FakeClock, field: str, starts_on: str, ends_on: str
) -> None:
    relationship_id = await reach("ACCEPTED", mentor, mentee, clock)
    sent = terms(relationship_id, clock, startsOn=starts_on, endsOn=ends_on)

    reply = await mentee.client.op("ProposeAgreement", input=sent)

    assert reply.status == 200
    assert (reply.code, reply.error_field) == ("BAD_USER_INPUT", field)
    assert await Agreement.all().count() == 0


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [("2025-03-02", "2026-06-01"), ("2028-03-02", "2030-03-02")],
    ids=["a year ago", "two years ahead"],
)
async def test_the_bounds_themselves_are_accepted(
    mentor: Person, mentee: Person, clock: FakeClock, starts_on: str, ends_on: str
) -> None:
    relationship_id = await reach("ACCEPTED", mentor, mentee, clock)
    sent = terms(relationship_id, clock, startsOn=starts_on, endsOn=ends_on)

    proposed = (await mentee.client.op("ProposeAgreement", input=sent)).data

    assert proposed["proposeAgreement"]["version"] == 1


OUTSIDER_INPUTS: list[dict[str, Any]] = [
    {"startsOn": "9999-12-30", "endsOn": "9999-12-31"},
    {"goals": []},
    {"goals": ["x" * 501]},
    {"topics": []},
    {"startsOn": "2026-04-01", "endsOn": "2026-03-01"},
]


@pytest.mark.parametrize("changes", OUTSIDER_INPUTS)
async def test_an_outsider_gets_not_found_before_any_input_check(
    mentor: Person, mentee: Person, outsider: Person, clock: FakeClock, changes: dict[str, Any]
) -> None:
    relationship_id = await reach("ACCEPTED", mentor, mentee, clock)

    reply = await outsider.client.op(
        "ProposeAgreement", input=terms(relationship_id, clock, **changes)
    )

    assert reply.code == "NOT_FOUND"
    assert await Agreement.all().count() == 0


async def test_an_outsider_gets_not_found_for_bad_input_to_every_move(
    anon: Client, mentor: Person, mentee: Person, outsider: Person, clock: FakeClock
) -> None:
    requested = await reach("REQUESTED", mentor, mentee, clock)
    second = await new_mentee(anon, "second@example.org", "Sam Second")
    ended = await reach("ENDED", mentor, second, clock)
    too_long = "x" * 5000

    replies = [
        await outsider.client.op("DeclineRequest", relationshipId=requested, reason=too_long),
        await outsider.client.op("EndRelationship", relationshipId=requested, reason=too_long),
        await outsider.client.op("GiveFeedback", relationshipId=requested, rating=99),
        await outsider.client.op("GiveFeedback", relationshipId=ended, rating=5, comment=too_long),
    ]

    assert [reply.code for reply in replies] == ["NOT_FOUND"] * 4
    assert await Relationship.filter(id=key_of(requested), status="REQUESTED").count() == 1
