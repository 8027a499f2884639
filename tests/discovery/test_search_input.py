"""searchMentors input: bounded pages, opaque cursors, validated filter values."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from orm.models import MentorProfile
from resolvers.cursors import search_cursor as encode_cursor
from tests.discovery.support import mentor, search_all
from tests.support import Client, key_of


async def test_anyone_may_search_and_gets_the_contract_fields(anon: Client) -> None:
    _, found = await mentor(anon, "Sam Search", headline="Searchable mentor")

    page = (await anon.op("SearchMentors", filter={"text": "searchable"})).data["searchMentors"]

    assert page["totalCount"] == 1
    assert page["pageInfo"] == {"hasNextPage": False, "endCursor": page["edges"][0]["cursor"]}
    node = page["edges"][0]["node"]
    assert node["id"] == found
    assert node["displayName"] == "Sam Search"
    assert node["acceptingMentees"] is True
    assert node["topics"] == ["CAREER_PLANNING", "LEADERSHIP"]


async def test_first_defaults_to_twenty(anon: Client) -> None:
    for index in range(21):
        await mentor(anon, f"Mentor {index}")

    page = (await anon.op("SearchMentors")).data["searchMentors"]

    assert len(page["edges"]) == 20
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["totalCount"] == 21


@pytest.mark.parametrize("first", [0, -1, 101, 2**31 - 1])
async def test_first_outside_1_to_100_is_bad_user_input(anon: Client, first: int) -> None:
    reply = await anon.op("SearchMentors", first=first)

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == "first"


@pytest.mark.parametrize("first", [2**40, "ten", 1.5])
async def test_a_first_that_is_no_int_is_bad_user_input(anon: Client, first: Any) -> None:
    reply = await anon.op("SearchMentors", first=first)

    assert reply.code == "BAD_USER_INPUT"


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "after",
    ["", "not a cursor", "!!!", _b64("relationship:v1:3"), _b64("mentor-search:v1:x"), _b64("5")],
)
async def test_a_malformed_or_foreign_cursor_is_bad_user_input(anon: Client, after: str) -> None:
    reply = await anon.op("SearchMentors", after=after)

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == "after"


async def test_a_cursor_of_a_vanished_mentor_still_pages_on(anon: Client) -> None:
    ids = [key_of((await mentor(anon, f"Mentor {index}"))[1]) for index in range(3)]
    await MentorProfile.filter(id=ids[1]).delete()

    reply = await anon.op("SearchMentors", after=encode_cursor(ids[1]))

    assert [key_of(e["node"]["id"]) for e in reply.data["searchMentors"]["edges"]] == [ids[2]]


@pytest.mark.parametrize(
    ("filter", "field"),
    [
        ({"countries": ["DE", "XX"]}, "countries[1]"),
        ({"countries": [""]}, "countries[0]"),
        ({"languages": ["de", "deu"]}, "languages[1]"),
        ({"industries": ["Software", "  "]}, "industries[1]"),
        ({"fieldsOfStudy": ["x" * 101]}, "fieldsOfStudy[0]"),
        ({"minYearsOfExperience": -1}, "minYearsOfExperience"),
        ({"maxYearsOfExperience": 71}, "maxYearsOfExperience"),
        ({"minYearsOfExperience": 10, "maxYearsOfExperience": 9}, "minYearsOfExperience"),
        ({"text": "x" * 201}, "text"),
        ({"text": "one two three four five six seven eight nine ten eleven"}, "text"),
        ({"text": "bad\x00byte"}, "text"),
        ({"countries": ["DE"] * 21}, "countries"),
    ],
)
async def test_bad_filter_values_name_their_field(
    anon: Client, filter: dict[str, Any], field: str
) -> None:
    reply = await anon.op("SearchMentors", filter=filter)

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == field


async def test_filter_codes_are_normalised_like_profile_fields(anon: Client) -> None:
    _, found = await mentor(anon, country="AT", languages=["fr"])

    ids, _ = await search_all(anon, {"countries": [" at "], "languages": ["FR"]})

    assert ids == [key_of(found)]


async def test_min_equal_to_max_years_is_one_value(anon: Client) -> None:
    _, twelve = await mentor(anon, yearsOfExperience=12)
    await mentor(anon, yearsOfExperience=13)

    ids, _ = await search_all(anon, {"minYearsOfExperience": 12, "maxYearsOfExperience": 12})

    assert ids == [key_of(twelve)]


async def test_every_bad_filter_field_is_reported_at_once(anon: Client) -> None:
    sent = {
        "minYearsOfExperience": 10,
        "maxYearsOfExperience": 5,
        "languages": ["xx"],
        "countries": ["DE", "ZZ"],
    }

    reply = await anon.op("SearchMentors", filter=sent)

    assert reply.code == "BAD_USER_INPUT"
    assert list(reply.field_errors) == ["minYearsOfExperience", "languages[0]", "countries[1]"]
