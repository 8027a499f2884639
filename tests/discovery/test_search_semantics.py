"""searchMentors against an independent oracle over seeded data."""

from __future__ import annotations

import random
from typing import Any

import pytest
from starlette.applications import Starlette

from orm import search as search_rows
from orm.seed import COUNTRIES, FIELDS_OF_STUDY, INDUSTRIES
from orm.vocabulary import Topic
from tests.discovery.oracle import all_mentors, expected_ids
from tests.discovery.support import mentor, search_all
from tests.support import Client, key_of

TEXTS = (
    "engineer",
    "Software",
    "BERLIN",
    "muller",
    "Zurich",
    "São Paulo",
    "consultant",
    "leadership",
    "career planning",
    "Team lead",
    "data scientist",
    "Research",
    "happy to help",
    "nosuchword",
)
LANGUAGES = ("de", "en", "fr", "tr", "zh", "ja", "es", "pt")


def _some(rng: random.Random, values: Any, most: int) -> list[Any]:
    return rng.sample(list(values), rng.randint(1, most))


def _case(rng: random.Random, value: str) -> str:
    return rng.choice((value, value.lower(), value.upper()))


def random_filter(rng: random.Random) -> dict[str, Any]:
    f: dict[str, Any] = {}
    if rng.random() < 0.3:
        f["text"] = rng.choice(TEXTS)
    if rng.random() < 0.4:
        f["topics"] = [t.value for t in _some(rng, Topic, 3)]
    if rng.random() < 0.4:
        f["languages"] = [_case(rng, c) for c in _some(rng, LANGUAGES, 2)]
    if rng.random() < 0.3:
        f["countries"] = [_case(rng, c) for c in _some(rng, COUNTRIES, 3)]
    if rng.random() < 0.2:
        f["industries"] = [_case(rng, v) for v in _some(rng, INDUSTRIES, 3)]
    if rng.random() < 0.2:
        f["fieldsOfStudy"] = [_case(rng, v) for v in _some(rng, FIELDS_OF_STUDY, 3)]
    years = sorted(rng.sample(range(0, 40), 2))
    if rng.random() < 0.25:
        f["minYearsOfExperience"] = years[0]
    if rng.random() < 0.25:
        f["maxYearsOfExperience"] = years[1]
    if rng.random() < 0.3:
        f["acceptingMentees"] = rng.random() < 0.5
    return f


async def test_random_filters_find_exactly_what_the_oracle_finds(
    seeded: Starlette, anon: Client
) -> None:
    mentors = await all_mentors()
    rng = random.Random(20261127)
    non_empty = 0

    for _ in range(80):
        f = random_filter(rng)
        ids, total = await search_all(anon, f, first=rng.choice((7, 40, 100)))

        expected = expected_ids(mentors, f)
        assert ids == expected, f
        assert total == len(expected), f
        non_empty += bool(expected)
    assert non_empty >= 40, "most combinations should match someone, or the test proves little"


async def test_no_filter_finds_every_complete_mentor_and_no_incomplete_one(
    seeded: Starlette, anon: Client
) -> None:
    mentors = await all_mentors()

    ids, total = await search_all(anon, None)

    assert ids == [m.id for m in mentors if m.complete]
    assert total == len(ids)
    assert len(ids) < len(mentors), "the seed leaves some profiles incomplete"


async def test_accepting_mentees_true_and_false_split_the_results(
    seeded: Starlette, anon: Client
) -> None:
    everyone, _ = await search_all(anon, {})
    accepting, _ = await search_all(anon, {"acceptingMentees": True})
    not_accepting, _ = await search_all(anon, {"acceptingMentees": False})

    assert accepting
    assert not_accepting
    assert sorted(accepting + not_accepting) == everyone


async def test_paging_returns_every_match_once_whatever_the_page_size(
    seeded: Starlette, anon: Client
) -> None:
    f = {"countries": ["GB", "US", "FR"]}
    expected = expected_ids(await all_mentors(), f)
    assert len(expected) > 20

    for first in (1, 2, 7, 50, 100):
        ids, total = await search_all(anon, f, first=first)
        assert ids == expected
        assert total == len(expected)


async def test_a_text_search_pages_alike_however_far_a_page_reads_in_id_order(
    seeded: Starlette, anon: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL reads a window of documents in id order, then the GIN index
    # (orm.search._postgres_hits_page); windows this small take both ways.
    mentors = await all_mentors()
    searches: list[dict[str, Any]] = [
        {"text": "engineer"},
        {"text": "Software", "topics": ["LEADERSHIP"], "languages": ["de", "en"]},
        {"text": "Research", "topics": ["SUBJECT_EXPERTISE"]},
        {"text": "nosuchword"},
    ]
    for window in (1, 5, 60):
        monkeypatch.setattr(search_rows, "PAGE_WINDOW", window)
        for f in searches:
            expected = expected_ids(mentors, f)
            for first in (1, 7, 100):
                ids, total = await search_all(anon, f, first=first)
                assert ids == expected, (window, f, first)
                assert total == len(expected)


async def test_an_empty_list_is_no_filter(seeded: Starlette, anon: Client) -> None:
    everyone, _ = await search_all(anon, None)

    ids, _ = await search_all(anon, {"topics": [], "languages": [], "countries": [], "text": " "})

    assert ids == everyone


async def test_after_seeding_new_and_changed_mentors_are_indexed(
    seeded: Starlette, anon: Client
) -> None:
    client, found = await mentor(anon, headline="Zyxwvut specialist")

    assert (await search_all(anon, {"text": "zyxwvut"}))[0] == [key_of(found)]
    await client.op("SaveMentorProfile", input={"headline": "Qwertz specialist"})
    assert (await search_all(anon, {"text": "zyxwvut"}))[0] == []
    assert (await search_all(anon, {"text": "qwertz"}))[0] == [key_of(found)]

    # Topics and languages are tags of the search document: a change moves the mentor.
    before = {"text": "qwertz", "topics": ["LEADERSHIP"], "languages": ["de"]}
    assert (await search_all(anon, before))[0] == [key_of(found)]
    await client.op("SaveMentorProfile", input={"topics": ["NETWORKING"], "languages": ["fr"]})
    assert (await search_all(anon, before))[0] == []
    after = {"text": "qwertz", "topics": ["NETWORKING"], "languages": ["fr"]}
    assert (await search_all(anon, after))[0] == [key_of(found)]
