"""Mentor and mentee profiles over HTTP: partial updates, validation, completeness."""

from __future__ import annotations

from typing import Any

import pytest

from orm.models import MenteeProfile, MentorProfile
from orm.vocabulary import topic_mask
from tests.support import Client, key_of

COMPLETE_MENTOR: dict[str, Any] = {
    "headline": "Engineering manager",
    "bio": "Twelve years in software.",
    "country": "DE",
    "city": "Berlin",
    "timezone": "Europe/Berlin",
    "languages": ["de", "en"],
    "industry": "Software",
    "yearsOfExperience": 12,
    "topics": ["CAREER_PLANNING", "LEADERSHIP"],
    "capacity": 2,
    "acceptingMentees": True,
    "channels": ["PRIVATE_MESSAGE", "VIDEO_CALL"],
    "contactLinks": [{"kind": "EMAIL", "value": "mentor@example.org"}],
}
COMPLETE_MENTEE: dict[str, Any] = {
    "headline": "Graduate",
    "bio": "Just finished my degree.",
    "country": "AT",
    "languages": ["de"],
    "fieldOfStudy": "Physics",
    "situation": "CAREER_ENTRY",
    "goals": "Find a first job.",
    "topics": ["APPLICATION_STRATEGY"],
}


async def save_mentor(client: Client, **values: Any) -> dict[str, Any]:
    result: dict[str, Any] = (await client.op("SaveMentorProfile", input=values)).data[
        "saveMentorProfile"
    ]
    return result


async def test_a_complete_mentor_profile_reports_itself_complete(user: Client) -> None:
    saved = await save_mentor(user, **COMPLETE_MENTOR)

    assert saved["completeness"] == {"percent": 100, "isComplete": True, "missingFields": []}
    assert saved["acceptingMentees"] is True
    assert saved["languages"] == ["de", "en"]
    assert saved["contactLinks"] == [{"kind": "EMAIL", "value": "mentor@example.org"}]


async def test_an_empty_mentor_profile_lists_every_missing_field(user: Client) -> None:
    saved = await save_mentor(user)

    assert saved["completeness"] == {
        "percent": 0,
        "isComplete": False,
        "missingFields": [
            "headline",
            "bio",
            "country",
            "languages",
            "industry",
            "fieldOfStudy",
            "yearsOfExperience",
            "topics",
            "capacity",
        ],
    }


async def test_mentee_completeness_follows_the_contract(user: Client) -> None:
    partial = {key: value for key, value in COMPLETE_MENTEE.items() if key != "goals"}
    reply = await user.op("SaveMenteeProfile", input=partial)
    completeness = reply.data["saveMenteeProfile"]["completeness"]
    assert completeness == {"percent": 87, "isComplete": False, "missingFields": ["goals"]}

    reply = await user.op("SaveMenteeProfile", input={"goals": "Find a first job."})
    assert reply.data["saveMenteeProfile"]["completeness"]["isComplete"] is True


async def test_a_partial_update_changes_only_the_fields_sent(user: Client) -> None:
    await save_mentor(user, **COMPLETE_MENTOR)

    saved = await save_mentor(user, headline="Director of engineering", city=None)

    assert saved["headline"] == "Director of engineering"
    assert saved["city"] is None
    assert saved["bio"] == COMPLETE_MENTOR["bio"]
    assert saved["topics"] == COMPLETE_MENTOR["topics"]
    assert saved["contactLinks"] == COMPLETE_MENTOR["contactLinks"]


async def test_the_topic_mask_is_saved_in_step_with_the_topics(user: Client) -> None:
    saved = await save_mentor(user, **COMPLETE_MENTOR)
    await save_mentor(user, topics=["NETWORKING"], languages=["fr", "FR", "en"])

    row = await MentorProfile.get(id=key_of(saved["id"]))
    assert (row.topics, row.topic_mask) == (["NETWORKING"], topic_mask(["NETWORKING"]))
    assert sorted(row.languages) == ["en", "fr"]


async def test_one_user_can_be_mentor_and_mentee(user: Client) -> None:
    await save_mentor(user, **COMPLETE_MENTOR)
    await user.op("SaveMenteeProfile", input=COMPLETE_MENTEE)

    viewer = (await user.op("Viewer")).data["viewer"]

    assert viewer["mentorProfile"]["completeness"]["isComplete"] is True
    assert viewer["menteeProfile"]["completeness"]["isComplete"] is True


async def test_saving_a_profile_needs_a_signed_in_user(anon: Client) -> None:
    reply = await anon.op("SaveMentorProfile", input={"headline": "x"})

    assert reply.code == "UNAUTHENTICATED"
    assert await MentorProfile.all().count() == 0


async def test_anyone_can_read_a_mentor_profile_but_contact_links_stay_private(
    user: Client, anon: Client
) -> None:
    saved = await save_mentor(user, **COMPLETE_MENTOR)
    other = await anon.register("other@example.org")

    as_other = (await other.op("MentorProfile", id=saved["id"])).data["mentor"]
    as_owner = (await user.op("MentorProfile", id=saved["id"])).data["mentor"]

    assert as_other["displayName"] == "Uma User"
    assert as_other["headline"] == COMPLETE_MENTOR["headline"]
    assert as_other["contactLinks"] == []
    assert as_owner["contactLinks"] == COMPLETE_MENTOR["contactLinks"]


@pytest.mark.parametrize("mentor_id", ["999999", "abc", "-1", "1.5", "", "1" * 40])
async def test_an_unknown_or_malformed_mentor_id_is_not_found(anon: Client, mentor_id: str) -> None:
    assert (await anon.op("MentorProfile", id=mentor_id)).code == "NOT_FOUND"


async def test_accepting_mentees_reads_false_when_the_switch_is_off(user: Client) -> None:
    saved = await save_mentor(user, **{**COMPLETE_MENTOR, "acceptingMentees": False})

    assert saved["acceptingMentees"] is False


BAD_MENTOR_VALUES: list[tuple[str, Any]] = [
    ("headline", "x" * 121),
    ("headline", "tab\tin headline"),
    ("bio", "x" * 4001),
    ("bio", "nul\x00byte"),
    ("country", "XX"),
    ("country", "DEU"),
    ("city", "x" * 101),
    ("timezone", "Mars/Olympus_Mons"),
    ("timezone", "CET+1"),
    ("languages", ["de", "xx"]),
    ("languages", ["deu"]),
    ("languages", ["de", "en", "fr", "es", "it", "pt", "nl", "pl", "tr", "ar", "zh"]),
    ("industry", "x" * 101),
    ("fieldOfStudy", "x" * 101),
    ("yearsOfExperience", -1),
    ("yearsOfExperience", 71),
    ("capacity", 0),
    ("capacity", 21),
    ("contactLinks", [{"kind": "EMAIL", "value": "not-an-email"}]),
    ("contactLinks", [{"kind": "PHONE", "value": "call me"}]),
    ("contactLinks", [{"kind": "SKYPE", "value": "x" * 301}]),
    ("contactLinks", [{"kind": "OTHER", "value": f"link{i}"} for i in range(11)]),
]


@pytest.mark.parametrize(("field", "value"), BAD_MENTOR_VALUES)
async def test_bad_mentor_input_names_the_field_and_changes_nothing(
    user: Client, field: str, value: Any
) -> None:
    before = await save_mentor(user, **COMPLETE_MENTOR)

    reply = await user.op("SaveMentorProfile", input={"headline": "Changed", field: value})

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field.split("[")[0] == field
    assert list(reply.field_errors) == [reply.error_field]
    after = (await user.op("MentorProfile", id=before["id"])).data["mentor"]
    assert after["headline"] == COMPLETE_MENTOR["headline"]


async def test_every_bad_field_of_a_profile_is_reported_at_once(user: Client) -> None:
    before = await save_mentor(user, **COMPLETE_MENTOR)

    reply = await user.op(
        "SaveMentorProfile",
        input={"headline": "x" * 121, "city": "Hamburg", "country": "ZZ", "capacity": 99},
    )

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == "headline"
    assert reply.field_errors == {
        "headline": "must have at most 120 characters.",
        "country": "'ZZ' is not an ISO 3166-1 alpha-2 country code.",
        "capacity": "must be between 1 and 20.",
    }
    after = (await user.op("MentorProfile", id=before["id"])).data["mentor"]
    assert (after["headline"], after["city"]) == (COMPLETE_MENTOR["headline"], "Berlin")


async def test_every_bad_entry_of_a_list_is_reported(user: Client) -> None:
    reply = await user.op(
        "SaveMentorProfile",
        input={
            "languages": ["de", "klingon", "xx"],
            "contactLinks": [
                {"kind": "PHONE", "value": "call me"},
                {"kind": "EMAIL", "value": "fine@example.org"},
                {"kind": "LINKEDIN", "value": "http://insecure.example.org"},
            ],
        },
    )

    assert list(reply.field_errors) == [
        "languages[1]",
        "languages[2]",
        "contactLinks[0].value",
        "contactLinks[2].value",
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("targetCountry", "ZZ"), ("goals", "x" * 2001), ("languages", ["klingon"])],
)
async def test_bad_mentee_input_names_the_field_and_stores_nothing(
    user: Client, field: str, value: Any
) -> None:
    reply = await user.op("SaveMenteeProfile", input={**COMPLETE_MENTEE, field: value})

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field.split("[")[0] == field
    assert await MenteeProfile.all().count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("topics", ["COOKING"]), ("situation", "RETIRED"), ("yearsOfExperience", "many")],
)
async def test_wrong_enum_or_type_fails_validation_before_any_resolver(
    user: Client, field: str, value: Any
) -> None:
    reply = await user.op("SaveMenteeProfile", input={**COMPLETE_MENTEE, field: value})

    assert reply.code == "BAD_USER_INPUT"
    assert await MenteeProfile.all().count() == 0


async def test_blank_text_clears_a_field(user: Client) -> None:
    await save_mentor(user, **COMPLETE_MENTOR)

    saved = await save_mentor(user, headline="   ")

    assert saved["headline"] is None
    assert "headline" in saved["completeness"]["missingFields"]


async def test_text_is_stored_exactly_apart_from_surrounding_space(user: Client) -> None:
    bio = "Ünïcödé ✓ — <b>markup</b> ' OR 1=1; --\nSecond line"

    saved = await save_mentor(user, bio=f"  {bio}  ")

    assert saved["bio"] == bio


async def test_codes_are_normalised(user: Client) -> None:
    saved = await save_mentor(
        user, country="de", languages=["EN", "de", "en"], timezone="Asia/Tokyo"
    )

    assert saved["country"] == "DE"
    assert saved["languages"] == ["en", "de"]
    assert saved["timezone"] == "Asia/Tokyo"
