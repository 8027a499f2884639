"""Contact links: who sees them, in which states, and what each kind accepts.

The partner sees the other's links only while their relationship is
ACCEPTED, ACTIVE or COMPLETED: never after a decline, a withdrawal, an expiry
or an early end. Each kind accepts only its own shape of value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import Settings
from orm.models import MentorProfile
from tests.clock import TOKENS_FOR_YEARS, FakeClock
from tests.people import (
    MENTEE_PROFILE,
    MENTOR_PROFILE,
    Person,
    act,
    reach,
    request,
    seen_by,
)
from tests.support import NoRateLimits, key_of, settings_for

VISIBLE_TO_THE_PARTNER = {
    "REQUESTED": False,
    "ACCEPTED": True,
    "ACTIVE": True,
    "COMPLETED": True,
    "DECLINED": False,
    "WITHDRAWN": False,
    "EXPIRED": False,
    "ENDED": False,
}


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return settings_for(
        tmp_path, clock=clock, token_ttl=TOKENS_FOR_YEARS, rate_limiter=NoRateLimits()
    )


async def mentor_links_seen_by(person: Person, mentor: Person) -> list[dict[str, str]]:
    reply = await person.client.op("MentorProfile", id=mentor.profile_id)
    links: list[dict[str, str]] = reply.data["mentor"]["contactLinks"]
    return links


async def save_links(person: Person, operation: str, links: list[dict[str, str]]) -> Any:
    return await person.client.op(operation, input={"contactLinks": links})


@pytest.mark.parametrize(("status", "visible"), VISIBLE_TO_THE_PARTNER.items())
async def test_the_partner_sees_contact_links_only_while_accepted_active_or_completed(
    mentor: Person, mentee: Person, clock: FakeClock, status: str, visible: bool
) -> None:
    relationship_id = await reach(status, mentor, mentee, clock)

    as_mentor = await seen_by(mentor, relationship_id)
    as_mentee = await seen_by(mentee, relationship_id)

    assert as_mentor["status"] == status
    assert as_mentor["mentee"]["contactLinks"] == (
        MENTEE_PROFILE["contactLinks"] if visible else []
    )
    assert as_mentee["mentor"]["contactLinks"] == (
        MENTOR_PROFILE["contactLinks"] if visible else []
    )
    assert await mentor_links_seen_by(mentee, mentor) == as_mentee["mentor"]["contactLinks"]
    # The owner always sees their own, in every state.
    assert as_mentor["mentor"]["contactLinks"] == MENTOR_PROFILE["contactLinks"]
    assert as_mentee["mentee"]["contactLinks"] == MENTEE_PROFILE["contactLinks"]
    assert await mentor_links_seen_by(mentor, mentor) == MENTOR_PROFILE["contactLinks"]


async def test_links_changed_after_an_early_end_stay_hidden_from_the_ex_partner(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await reach("ACTIVE", mentor, mentee, clock)
    await act(mentee, "EndRelationship", relationshipId=relationship_id)

    changed = [{"kind": "EMAIL", "value": "marta.new@example.org"}]
    assert (await save_links(mentor, "SaveMentorProfile", changed)).data

    assert await mentor_links_seen_by(mentee, mentor) == []
    assert (await seen_by(mentee, relationship_id))["mentor"]["contactLinks"] == []
    assert await mentor_links_seen_by(mentor, mentor) == changed


async def test_the_latest_relationship_decides_not_an_earlier_completed_one(
    mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    await reach("COMPLETED", mentor, mentee, clock)
    again = await request(mentee, mentor)
    # An open request changes nothing until it is answered.
    assert await mentor_links_seen_by(mentee, mentor) == MENTOR_PROFILE["contactLinks"]

    await act(mentor, "AcceptRequest", relationshipId=again)
    await act(mentor, "EndRelationship", relationshipId=again)

    assert await mentor_links_seen_by(mentee, mentor) == []
    assert (await seen_by(mentor, again))["mentee"]["contactLinks"] == []


# ------------------------------------------------------------ values per kind

BAD_VALUES: list[tuple[str, str]] = [
    ("EMAIL", "javascript:alert(1)"),
    ("EMAIL", "not-an-email"),
    ("PHONE", "call me"),
    ("PHONE", "0341 1234567"),  # no country: not an international number
    ("PHONE", "+49 1"),
    ("PHONE", "+" + "1" * 40),
    ("LINKEDIN", "javascript:alert(document.cookie)"),
    ("LINKEDIN", "http://www.linkedin.com/in/marta"),
    ("LINKEDIN", "www.linkedin.com/in/marta"),
    ("FACEBOOK", "data:text/html,<script>alert(1)</script>"),
    ("FACEBOOK", "https://user:secret@facebook.example/"),
    ("FACEBOOK", "https://facebook.example@evil.example/"),
    ("OTHER", "https:///no-host"),
    ("OTHER", "https://"),
    ("OTHER", "ftp://files.example.org/"),
    ("OTHER", "https://exa mple.org/"),
    ("OTHER", "https:\\\\evil.example"),
    ("OTHER", "//evil.example/"),
    ("OTHER", "https://example.org/" + "a" * 400),
    ("OTHER", "https://-bad-.example/"),
    ("OTHER", "https://example.org:99999/"),
    ("SKYPE", "javascript:alert(1)"),
    ("SKYPE", "skype:marta?call"),
    ("SKYPE", "live:javascript:alert(1)"),
    ("SKYPE", "marta mentor"),
    ("SKYPE", "<script>"),
    ("SKYPE", "x" * 101),
    ("GOOGLE", "data:,hello"),
    ("GOOGLE", "http://plus.google.example/marta"),
]


@pytest.mark.parametrize(("kind", "value"), BAD_VALUES)
async def test_a_value_not_of_its_kind_is_refused_naming_the_entry(
    mentor: Person, kind: str, value: str
) -> None:
    links = [{"kind": "EMAIL", "value": "fine@example.org"}, {"kind": kind, "value": value}]

    reply = await save_links(mentor, "SaveMentorProfile", links)

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == "contactLinks[1].value"
    assert await mentor_links_seen_by(mentor, mentor) == MENTOR_PROFILE["contactLinks"]


GOOD_VALUES: list[tuple[str, str, str]] = [
    ("EMAIL", " Marta@Example.ORG ", "marta@example.org"),
    ("PHONE", "+49 341 1234567", "+493411234567"),
    ("PHONE", "+1 (650) 253-0000", "+16502530000"),
    (
        "LINKEDIN",
        "https://www.linkedin.com/in/marta-mentor",
        "https://www.linkedin.com/in/marta-mentor",
    ),
    (
        "FACEBOOK",
        "https://www.facebook.com/marta.m?ref=x#top",
        "https://www.facebook.com/marta.m?ref=x#top",
    ),
    ("OTHER", "https://bücher.example/über", "https://bücher.example/über"),
    ("OTHER", "https://example.org:8443/path", "https://example.org:8443/path"),
    ("SKYPE", "marta.mentor_1", "marta.mentor_1"),
    ("SKYPE", "live:.cid.0123abcd", "live:.cid.0123abcd"),
    ("SKYPE", "https://join.skype.com/invite/abc", "https://join.skype.com/invite/abc"),
    ("GOOGLE", "marta.mentor@gmail.com", "marta.mentor@gmail.com"),
]


@pytest.mark.parametrize(("kind", "value", "stored"), GOOD_VALUES)
async def test_a_value_of_its_kind_is_stored_in_its_normal_form(
    mentee: Person, kind: str, value: str, stored: str
) -> None:
    reply = await save_links(mentee, "SaveMenteeProfile", [{"kind": kind, "value": value}])

    assert reply.data["saveMenteeProfile"]["contactLinks"] == [{"kind": kind, "value": stored}]


async def test_stored_values_from_before_the_checks_are_read_safely(mentor: Person) -> None:
    await MentorProfile.filter(id=key_of(mentor.profile_id)).update(
        contact_links=[
            {"kind": "OTHER", "value": "javascript:alert(1)"},
            {"kind": "PHONE", "value": "+49 341 7654321"},
            {"kind": "SKYPE", "value": "skype:marta?call"},
            {"kind": "EMAIL", "value": "marta@example.org"},
        ]
    )

    links = await mentor_links_seen_by(mentor, mentor)

    # Unsafe values are not served; a phone number is served in its normal form.
    assert links == [
        {"kind": "PHONE", "value": "+493417654321"},
        {"kind": "EMAIL", "value": "marta@example.org"},
    ]
