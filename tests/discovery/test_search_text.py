"""Text search: whole words, any case, in the five fields, and no query syntax."""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing

import pytest

from orm.models import MentorProfile, User
from orm.search import fts5_terms, words_of
from tests.discovery.oracle import words
from tests.discovery.support import mentor, search_all
from tests.support import Client, key_of


async def _found(anon: Client, text: str) -> list[int]:
    ids, total = await search_all(anon, {"text": text})
    assert total == len(ids)
    return ids


async def test_words_match_whole_not_as_prefixes(anon: Client) -> None:
    _, engineering = await mentor(anon, headline="Engineering manager")
    _, engineer = await mentor(anon, headline="Software engineer")

    assert await _found(anon, "engineer") == [key_of(engineer)]
    assert await _found(anon, "engineering") == [key_of(engineering)]
    assert await _found(anon, "engin") == []


async def test_case_and_diacritics_do_not_matter(anon: Client) -> None:
    _, found = await mentor(anon, "Jürgen Groß", bio="Lives in Zürich, grew up in Besançon.")

    for text in ("JÜRGEN", "jurgen", "zurich", "Besancon", "BESANÇON"):
        assert await _found(anon, text) == [key_of(found)], text


async def test_every_word_must_occur_somewhere_in_the_five_fields(anon: Client) -> None:
    _, found = await mentor(
        anon,
        "Ada Lovelace",
        headline="Analyst",
        bio="Numbers and poetry.",
        industry="Insurance",
        fieldOfStudy="Mathematics",
    )
    await mentor(anon, "Ada Other", headline="Analyst", industry="Retail")

    assert await _found(anon, "lovelace analyst poetry insurance mathematics") == [key_of(found)]
    assert await _found(anon, "ada insurance") == [key_of(found)]
    assert await _found(anon, "ada insurance cooking") == []


async def test_fields_outside_the_five_are_not_searched(anon: Client) -> None:
    await mentor(anon, city="Wolfsburg", country="DE")

    assert await _found(anon, "wolfsburg") == []


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "*",
        "engineer*",
        "NEAR(engineer manager)",
        "headline:engineer",
        "engineer OR nothing",
        "engineer AND NOT manager",
        "^engineer",
        "-manager",
        "(engineer",
        "'; DROP TABLE mentor_profile; --",
        "e_n_g",
    ],
)
async def test_query_syntax_is_read_as_plain_words(anon: Client, text: str) -> None:
    name, bio = "Quinn Query", "Near the headline, and not a drop table for mentor profiles."
    _, found = await mentor(anon, name, headline="Engineer or manager", bio=bio)
    document = words(f"{name} Engineer or manager {bio} Software")

    ids, _ = await search_all(anon, {"text": text})

    # Every run of letters and digits is a required word; nothing else counts.
    assert ids == ([key_of(found)] if words(text) <= document else [])
    assert await MentorProfile.filter(id=key_of(found)).exists()


async def test_fts_operators_do_not_widen_or_narrow_a_search(anon: Client) -> None:
    _, engineer = await mentor(anon, headline="Engineer")
    await mentor(anon, headline="Nothing")

    assert await _found(anon, "engineer*") == [key_of(engineer)]
    assert await _found(anon, "engineer OR nothing") == []  # three words: "or" is not there
    assert await _found(anon, "headline:engineer") == []  # "headline" is not a word there
    assert await _found(anon, "NEAR(engineer)") == []


async def test_the_index_follows_profile_and_name_changes(anon: Client) -> None:
    client, found = await mentor(anon, "Rita Renamed", headline="Chemist")

    await client.op("SaveMentorProfile", input={"headline": "Physicist"})
    assert await _found(anon, "chemist") == []
    assert await _found(anon, "physicist") == [key_of(found)]

    await User.filter(id=key_of(client.user_id or "")).update(display_name="Rita Newname")
    assert await _found(anon, "renamed") == []
    assert await _found(anon, "newname physicist") == [key_of(found)]

    await MentorProfile.filter(id=key_of(found)).delete()
    assert await _found(anon, "physicist") == []


async def test_topic_and_language_filters_are_not_words(anon: Client) -> None:
    """PostgreSQL's document holds a tag per topic and language (`~tleadership`, `~lfr`)
    for the filters; no typed text reaches them, and they follow profile changes."""
    client, found = await mentor(
        anon, headline="Counsellor", topics=["LEADERSHIP"], languages=["fr", "de"]
    )

    for text in ("~tleadership", "tleadership", "~lfr", "lfr", "leadership", "fr"):
        assert await _found(anon, text) == [], text
    by_filter = {"text": "counsellor", "topics": ["LEADERSHIP"], "languages": ["fr"]}
    assert await search_all(anon, by_filter) == ([key_of(found)], 1)

    await client.op("SaveMentorProfile", input={"topics": ["NETWORKING"], "languages": ["en"]})
    assert await search_all(anon, by_filter) == ([], 0)
    moved = {"text": "counsellor", "topics": ["NETWORKING"], "languages": ["en"]}
    assert await search_all(anon, moved) == ([key_of(found)], 1)


def test_fts5_splits_a_word_only_where_the_search_splits_it() -> None:
    """SQLite's tokenizer (migrations 0016, 0020) makes one token of every word
    that `words_of` finds, but at FTS5_SEPARATORS, where `fts5_terms` splits it
    too: no term of a query is a phrase of two tokens, which FTS5 refuses
    without token positions (`detail = column`). Every letter and digit, in a
    word of its own."""
    every = (chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code < 0xE000)
    found = words_of(" ".join(f"a{letter}b" for letter in every))
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute(
            "CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'unicode61 remove_diacritics 2')"
        )
        db.execute("CREATE VIRTUAL TABLE tokens USING fts5vocab(t, 'instance')")
        db.executemany("INSERT INTO t (rowid, a) VALUES (?, ?)", enumerate(found))
        made = dict(db.execute("SELECT doc, COUNT(*) FROM tokens GROUP BY doc").fetchall())

    assert len(found) > 100_000
    assert [w for i, w in enumerate(found) if made.get(i) != len(fts5_terms(w))] == []
    assert any(len(fts5_terms(word)) == 2 for word in found), "FTS5 splits a word at a letter"


async def test_a_word_fts5_splits_is_searched_as_its_parts(anon: Client) -> None:
    # On SQLite (FTS5); New Tai Lue: a vowel sign between two letters, a separator to SQLite.
    _, found = await mentor(anon, headline="\u1985\u19b0\u1991 teacher")

    assert await _found(anon, "\u1985\u19b0\u1991") == [key_of(found)]
    assert await _found(anon, "\u1991 teacher") == [key_of(found)]
    assert await _found(anon, "\u19b0") == []
