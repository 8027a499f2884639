"""mentorSuggestions and matchScore: who may ask, the reasons, the hard filters."""

from __future__ import annotations

from typing import Any

import pytest

from orm.models import MentorProfile
from resolvers.completeness import MENTEE_REQUIREMENTS
from tests.discovery.support import mentee, mentor, person
from tests.support import Client, key_of

# A relocating mentee and a mentor who earns points on every criterion.
MENTEE: dict[str, Any] = {
    "topics": ["CAREER_PLANNING", "NETWORKING", "LEADERSHIP"],
    "languages": ["de", "en"],
    "industry": "Software",
    "fieldOfStudy": "Physics",
    "yearsOfExperience": 2,
    "situation": "RELOCATION",
    "targetCountry": "CA",
    "country": "DE",
    "timezone": "Europe/Berlin",
}
MENTOR: dict[str, Any] = {
    "topics": ["CAREER_PLANNING", "NETWORKING", "INTERCULTURAL_COMMUNICATION"],
    "languages": ["en", "fr"],
    "industry": "software",
    "fieldOfStudy": "Physics",
    "yearsOfExperience": 14,
    "country": "CA",
    # London is 1 h from Berlin all year round (both switch on the same days).
    "timezone": "Europe/London",
    "capacity": 2,
}
EXPECTED_REASONS: list[dict[str, Any]] = [
    {
        "criterion": "TOPICS",
        "points": 20,
        "detail": "Shares 2 of your 3 topics: Career planning, Networking",
    },
    {"criterion": "LANGUAGES", "points": 3, "detail": "Speaks your language: English"},
    {"criterion": "INDUSTRY", "points": 8, "detail": "Works in your industry: software"},
    {"criterion": "FIELD_OF_STUDY", "points": 5, "detail": "Studied your field: Physics"},
    {"criterion": "EXPERIENCE", "points": 6, "detail": "12 years more experience than you"},
    {
        "criterion": "SITUATION",
        "points": 6,
        "detail": "Offers Intercultural communication, which helps with moving to another country",
    },
    {"criterion": "LOCATION", "points": 10, "detail": "Lives in Canada, where you are moving"},
    {"criterion": "TIME_ZONE", "points": 3, "detail": "Clock 1 h from yours (Europe/London)"},
    {"criterion": "CAPACITY", "points": 2, "detail": "Has 2 free places"},
    {
        "criterion": "RESPONSIVENESS",
        "points": 3,
        "detail": "No requests to answer yet: counted as average",
    },
]


async def test_both_need_a_signed_in_viewer(anon: Client) -> None:
    _, mentor_id = await mentor(anon)

    assert (await anon.op("MentorSuggestions")).code == "UNAUTHENTICATED"
    assert (await anon.op("MatchScore", mentorId=mentor_id)).code == "UNAUTHENTICATED"


async def test_without_a_mentee_profile_every_mentee_field_is_missing(anon: Client) -> None:
    viewer = await person(anon)
    _, mentor_id = await mentor(anon)
    everything = [name for r in MENTEE_REQUIREMENTS for name in r.input_fields]

    for reply in (
        await viewer.op("MentorSuggestions"),
        await viewer.op("MatchScore", mentorId=mentor_id),
    ):
        assert reply.code == "PROFILE_INCOMPLETE"
        assert reply.errors[0]["extensions"]["missingFields"] == everything


async def test_an_incomplete_mentee_profile_lists_what_is_missing(anon: Client) -> None:
    viewer = await mentee(anon, goals=None, topics=[])

    reply = await viewer.op("MentorSuggestions")

    assert reply.code == "PROFILE_INCOMPLETE"
    assert reply.errors[0]["extensions"]["missingFields"] == ["goals", "topics"]


async def test_reasons_explain_every_point_of_the_score(anon: Client) -> None:
    viewer = await mentee(anon, **MENTEE)
    _, mentor_id = await mentor(anon, "Casey Canada", **MENTOR)

    suggestions = (await viewer.op("MentorSuggestions")).data["mentorSuggestions"]
    match = (await viewer.op("MatchScore", mentorId=mentor_id)).data["matchScore"]

    assert [s["mentor"]["id"] for s in suggestions] == [mentor_id]
    assert suggestions[0]["reasons"] == EXPECTED_REASONS
    assert suggestions[0]["score"] == sum(r["points"] for r in EXPECTED_REASONS) == 66
    assert suggestions[0]["mentor"]["displayName"] == "Casey Canada"
    assert match == {
        "score": 66,
        "eligible": True,
        "reasons": EXPECTED_REASONS,
        "mentor": {"id": mentor_id},
    }


async def test_criteria_that_earn_nothing_are_not_listed(anon: Client) -> None:
    viewer = await mentee(anon, **{**MENTEE, "situation": "OTHER", "country": "JP"})
    _, mentor_id = await mentor(
        anon,
        **{
            **MENTOR,
            "topics": ["SOFT_SKILLS"],
            "industry": "Retail",
            "fieldOfStudy": "Law",
            "yearsOfExperience": 3,
            "timezone": "Pacific/Honolulu",
            "capacity": 1,
        },
    )

    match = (await viewer.op("MatchScore", mentorId=mentor_id)).data["matchScore"]

    assert match["reasons"] == [
        {"criterion": "LANGUAGES", "points": 3, "detail": "Speaks your language: English"},
        {"criterion": "CAPACITY", "points": 1, "detail": "Has 1 free place"},
        {
            "criterion": "RESPONSIVENESS",
            "points": 3,
            "detail": "No requests to answer yet: counted as average",
        },
    ]
    assert match["score"] == 7


async def _match(viewer: Client, mentor_id: str) -> dict[str, Any]:
    query = "query($id: ID!) { matchScore(mentorId: $id) { score eligible exclusions } }"
    result: dict[str, Any] = (await viewer.query(query, {"id": mentor_id})).data["matchScore"]
    return result


async def test_each_hard_filter_keeps_a_mentor_out(anon: Client) -> None:
    viewer = await mentee(anon, languages=["de"])
    _, eligible = await mentor(anon, languages=["de"])
    _, no_shared_language = await mentor(anon, languages=["fr"])
    _, incomplete = await mentor(anon, bio=None)
    _, switched_off = await mentor(anon, acceptingMentees=False)
    _, full = await mentor(anon, capacity=1)
    await MentorProfile.filter(id=key_of(full)).update(mentee_count=1)
    own = (await viewer.op("SaveMentorProfile", input={"headline": "Me", "bio": "Me."})).data
    own_id = str(own["saveMentorProfile"]["id"])
    await viewer.op("SaveMentorProfile", input=dict(_complete_mentor(), languages=["de"]))

    suggested = (await viewer.op("MentorSuggestions", first=50)).data["mentorSuggestions"]

    assert [s["mentor"]["id"] for s in suggested] == [eligible]
    assert (await _match(viewer, eligible))["exclusions"] == []
    expected = {
        no_shared_language: "You share no language with this mentor.",
        switched_off: "The mentor accepts no mentees at the moment.",
        full: "The mentor accepts no mentees at the moment.",
        own_id: "This is your own mentor profile.",
    }
    for mentor_id, exclusion in expected.items():
        match = await _match(viewer, mentor_id)
        assert match["eligible"] is False, mentor_id
        assert match["exclusions"] == [exclusion], mentor_id
        assert match["score"] > 0
    # Someone else's incomplete profile is visible to its owner alone.
    query = "query($id: ID!) { matchScore(mentorId: $id) { score } }"
    assert (await viewer.query(query, {"id": incomplete})).code == "NOT_FOUND"


def _complete_mentor() -> dict[str, Any]:
    from tests.test_profiles import COMPLETE_MENTOR

    return dict(COMPLETE_MENTOR)


@pytest.mark.parametrize("mentor_id", ["999999", "abc", "-1", ""])
async def test_match_score_of_no_such_mentor_is_not_found(anon: Client, mentor_id: str) -> None:
    viewer = await mentee(anon)

    assert (await viewer.op("MatchScore", mentorId=mentor_id)).code == "NOT_FOUND"


@pytest.mark.parametrize("first", [0, -3, 51])
async def test_suggestions_first_is_1_to_50(anon: Client, first: int) -> None:
    viewer = await mentee(anon)

    reply = await viewer.op("MentorSuggestions", first=first)

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == "first"


async def test_suggestions_default_to_ten_best_first_ties_by_id(anon: Client) -> None:
    viewer = await mentee(anon, languages=["de"], topics=["LEADERSHIP"])
    ids = [(await mentor(anon, languages=["de"], topics=["SOFT_SKILLS"]))[1] for _ in range(11)]
    _, best = await mentor(anon, languages=["de"], topics=["LEADERSHIP"])

    suggested = (await viewer.op("MentorSuggestions")).data["mentorSuggestions"]

    assert [s["mentor"]["id"] for s in suggested] == [best, *ids[:9]]
    assert len({s["score"] for s in suggested[1:]}) == 1
