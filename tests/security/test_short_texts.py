"""Invisible and direction-changing characters in texts people read.

Single-line texts (display names, headlines, cities, goals of an agreement,
contact values...) refuse Unicode Cf, except the zero-width joiner between
two emoji. Long texts (bio, messages, reasons) refuse the bidi embedding,
override and isolate controls, which reorder what follows them on screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import Settings
from orm.models import Agreement, MentorProfile, User
from tests.clock import FakeClock
from tests.people import MESSAGE, Person, act, new_mentee, new_mentor, terms
from tests.support import Client, NoRateLimits, key_of, settings_for

RLO, ZWSP, ZWJ, ZWNJ, LRI, SOFT_HYPHEN, BOM = (
    "\u202e",
    "\u200b",
    "\u200d",
    "\u200c",
    "\u2066",
    "\u00ad",
    "\ufeff",
)
WOMAN_TECHNOLOGIST = "\U0001f469\u200d\U0001f4bb"
WITH_SKIN_TONE = "\U0001f469\U0001f3fd\u200d\U0001f4bb"
RAINBOW_FLAG = "\U0001f3f3\ufe0f\u200d\U0001f308"


@pytest.fixture
def settings(tmp_path: Path, clock: FakeClock) -> Settings:
    return settings_for(tmp_path, clock=clock, rate_limiter=NoRateLimits())


async def register(anon: Client, name: str) -> Any:
    return await anon.op(
        "Register",
        input={"email": "ada@example.org", "password": "a long password", "displayName": name},
    )


@pytest.mark.parametrize(
    "name",
    [
        f"Ada{RLO}ecilA",
        f"Ad{ZWSP}a",
        f"Ada{ZWJ}Lovelace",
        f"{ZWJ}Ada",
        f"Ada \U0001f469{ZWJ}",
        f"{LRI}Ada",
        f"Ada{SOFT_HYPHEN}",
        f"{BOM}Ada",
        "Ada\u2028Lovelace",
    ],
    ids=["rlo", "zwsp", "zwj-between-letters", "zwj-first", "zwj-last", "lri", "shy", "bom", "ls"],
)
async def test_a_display_name_with_invisible_characters_is_refused(anon: Client, name: str) -> None:
    reply = await register(anon, name)

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == "displayName"
    assert await User.all().count() == 0


@pytest.mark.parametrize("emoji", [WOMAN_TECHNOLOGIST, WITH_SKIN_TONE, RAINBOW_FLAG])
async def test_a_zero_width_joiner_inside_an_emoji_is_kept(anon: Client, emoji: str) -> None:
    reply = await register(anon, f"Ada {emoji}")

    assert reply.data["register"]["user"]["displayName"] == f"Ada {emoji}"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("headline", f"Research lead{RLO}"),
        ("city", f"Leip{ZWSP}zig"),
        ("industry", f"{LRI}Research"),
        ("fieldOfStudy", f"Phys{ZWNJ}ics"),
        ("contactLinks", [{"kind": "SKYPE", "value": f"marta{ZWSP}"}]),
        ("contactLinks", [{"kind": "EMAIL", "value": f"marta{ZWSP}@example.org"}]),
        ("bio", f"Fifteen years {RLO}in research."),
        ("bio", f"Fifteen years {LRI}in research."),
    ],
)
async def test_profile_texts_refuse_them_too(anon: Client, field: str, value: Any) -> None:
    mentor = await new_mentor(anon, "m@example.org", "Marta")

    reply = await mentor.client.op("SaveMentorProfile", input={"headline": "Changed", field: value})

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field.split("[")[0] == field
    assert (await MentorProfile.get(id=key_of(mentor.profile_id))).headline == "Research lead"


async def test_a_bio_keeps_the_joiners_and_marks_that_scripts_need(anon: Client) -> None:
    mentor = await new_mentor(anon, "m@example.org", "Marta")
    # Persian writes the zero-width non-joiner inside words; mixed scripts use
    # the directional marks.
    bio = f"\u0645\u06cc{ZWNJ}\u062e\u0648\u0627\u0647\u0645 \u200fok\u200e {WOMAN_TECHNOLOGIST}"

    saved = (await act(mentor, "SaveMentorProfile", input={"bio": bio}))["saveMentorProfile"]

    assert saved["bio"] == bio


async def test_agreement_goals_and_request_messages_refuse_them(
    anon: Client, clock: FakeClock
) -> None:
    mentor = await new_mentor(anon, "m@example.org", "Marta")
    mentee = await new_mentee(anon, "e@example.org", "Mika")
    sent = {"mentorId": mentor.profile_id, "message": MESSAGE + RLO}

    refused = await mentee.client.op("RequestMentoring", input=sent)
    assert (refused.code, refused.error_field) == ("BAD_USER_INPUT", "message")

    relationship_id = await request_and_accept(mentee, mentor)
    goals = ["Apply to three labs", f"Prepare{ZWSP} for interviews"]
    reply = await mentee.client.op(
        "ProposeAgreement", input=terms(relationship_id, clock, goals=goals)
    )

    assert (reply.code, reply.error_field) == ("BAD_USER_INPUT", "goals[1]")
    assert await Agreement.all().count() == 0


async def request_and_accept(mentee: Person, mentor: Person) -> str:
    sent = {"mentorId": mentor.profile_id, "message": MESSAGE}
    relationship_id: str = (await act(mentee, "RequestMentoring", input=sent))["requestMentoring"][
        "id"
    ]
    await act(mentor, "AcceptRequest", relationshipId=relationship_id)
    return relationship_id
