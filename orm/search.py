"""Mentor search: the one query behind `searchMentors`.

Filters combine as the contract says: any value within one list (OR), every
given filter at once (AND). Only complete mentor profiles are searched.
Results come in mentor id order, and `after_id` is the keyset for the next
page, so paging returns every match exactly once even while rows change.

Text matches whole words in name, headline, bio, industry and field of study
through the engine's own full-text index (`mentor_search`, created by
migration 0002): FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL
(its `mentor_words` configuration folds diacritics since migration 0005).
It holds the documents of findable mentors only (complete, member not
suspended: migrations 0017 and 0020), so a count of words, topics and
languages is its hits alone. Words reach the engine only as quoted terms
built from letters and digits, so no search syntax typed by a user (quotes,
`*`, NEAR, column filters) is ever interpreted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from orm import search_counts
from orm.member_blocks import hidden_users_sql
from orm.models import MentorProfile
from orm.records import UserName, model_reader
from orm.rules.accepting import accepts_mentees_sql, not_accepting_sql
from orm.rules.suspension import not_suspended_sql
from orm.sql import POSTGRES, Params, connection, dialect_of, fetch, fetch_bounded
from orm.vocabulary import Topic, topic_mask

# What the unicode61 tokenizer counts as a word: letters and digits.
_WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> tuple[str, ...]:
    """The searchable words of a text, in order, repeats dropped."""
    return tuple(dict.fromkeys(word.lower() for word in _WORD.findall(text)))


@dataclass(frozen=True)
class MentorSearch:
    """Validated criteria; an empty tuple or None means 'no such filter'."""

    words: tuple[str, ...] = ()
    topics: tuple[Topic, ...] = ()
    languages: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    fields_of_study: tuple[str, ...] = ()
    min_years: int | None = None
    max_years: int | None = None
    accepting_mentees: bool | None = None
    # The signed-in searcher: mentors they blocked or were blocked by are left out.
    viewer_id: int | None = None


@dataclass(frozen=True)
class FoundMentor:
    """A mentor's profile row and its user's name, read in one hand-written statement.

    `user` is the user's id and display name (all that a Mentor shows of it).
    The ORM's read of the same rows (`select_related("user")`) took about
    3 ms of a request, query building and two model instances per mentor.
    """

    profile: MentorProfile
    user: UserName


# The select list and joins that add each found mentor's row and name to a
# statement over the ids it found, `<alias>.id`. Joined outside the query
# that finds and orders the ids, so that its plan stays what it was.
MENTOR_COLUMNS = "m.*, u.display_name AS user_display_name"


def mentor_joins(alias: str) -> str:
    return f'JOIN mentor_profile m ON m.id = {alias}.id JOIN "user" u ON u.id = m.user_id'


_MENTOR = model_reader(MentorProfile)


def found_mentor(row: dict[str, Any]) -> FoundMentor:
    """The mentor of a row selected with MENTOR_COLUMNS (extra columns are ignored)."""
    profile = _MENTOR(row)
    return FoundMentor(profile=profile, user=UserName(profile.user_id, row["user_display_name"]))


async def mentors_by_id(
    ids: Sequence[int], *, hidden_from: int | None = None
) -> dict[int, FoundMentor]:
    """The mentors of these ids that exist, with their users' names, in one statement.

    With `hidden_from` (a user id), the mentors blocked by that user or who
    blocked them are left out, as if they did not exist.
    """
    if not ids:
        return {}
    db = connection()
    params = Params(dialect_of(db))
    sql = (
        f"SELECT {MENTOR_COLUMNS} FROM mentor_profile m "
        f'JOIN "user" u ON u.id = m.user_id WHERE m.id IN ({params.add_all(ids)})'
    )
    if hidden_from is not None:
        sql += f" AND m.user_id NOT IN ({hidden_users_sql(hidden_from, params)})"
    rows = await fetch_bounded(db, sql, params)
    found = [found_mentor(row) for row in rows]
    return {mentor.profile.id: mentor for mentor in found}


@dataclass(frozen=True)
class SearchPage:
    mentors: list[FoundMentor]
    has_next_page: bool


def _tags_query(search: MentorSearch) -> str | None:
    """The topic and language filters as a tsquery over the document's tags (migration 0015).

    Tags are `~t<topic>` and `~l<code>`, lower case; quoted lexemes, so that
    the cast takes them as they are. Topics are enum names and codes are
    validated letters; quotes and backslashes are escaped all the same.
    """

    def any_of(values: list[str]) -> str:
        quoted = (v.replace("\\", "\\\\").replace("'", "''") for v in values)
        return "(" + " | ".join(f"'{v}'" for v in quoted) + ")"

    groups = []
    if search.topics:
        groups.append(any_of([f"~t{topic.value.lower()}" for topic in search.topics]))
    if search.languages:
        groups.append(any_of([f"~l{code.lower()}" for code in search.languages]))
    return " & ".join(groups) if groups else None


def _tsquery(search: MentorSearch, params: Params) -> str:
    """PostgreSQL: every word and a tag of each topic and language filter, as a tsquery."""
    # plainto_tsquery ANDs the words and ignores every operator character.
    query = f"plainto_tsquery('mentor_words', {params.add(' '.join(search.words))})"
    tags = _tags_query(search)
    if tags is not None:
        query = f"({query} && {params.add(tags)}::tsquery)"
    return query


def _text_hits(search: MentorSearch, params: Params) -> str:
    """`SELECT <id> ...` of the mentors whose document holds every word and a tag
    of each topic and language filter."""
    if params.dialect == POSTGRES:
        return f"SELECT mentor_id FROM mentor_search WHERE document @@ {_tsquery(search, params)}"
    query = _fts5_query(search)
    return f"SELECT rowid FROM mentor_search WHERE mentor_search MATCH {params.add(query)}"


def _fts5_query(search: MentorSearch) -> str:
    """The FTS5 query of the words and the topic and language filters."""
    # Quoted terms, implicitly ANDed, in the five text columns: never the tags.
    words = " ".join(f'"{term}"' for word in search.words for term in fts5_terms(word))
    query = f"{{{' '.join(TEXT_COLUMNS)}}} : ({words})"
    for group in _fts5_tags(search):
        query += f" AND tags : ({group})"
    return query


# The FTS5 table's columns that hold words (migration 0016); `tags` holds tags.
TEXT_COLUMNS = ("name", "headline", "bio", "industry", "field_of_study")

# Letters to Python's Unicode tables that SQLite's unicode61 tokenizer reads as
# separators (spacing marks in the Unicode version its tables follow): New Tai
# Lue vowel signs and two Vedic signs. tests/discovery/test_search_text.py
# finds them by asking SQLite about every letter and digit.
FTS5_SEPARATORS = "\u19b0-\u19c0\u19c8\u19c9\u1cf2\u1cf3"
_FTS5_SEPARATOR = re.compile(f"[{FTS5_SEPARATORS}]+")


def fts5_terms(word: str) -> list[str]:
    """A word of `words_of` as the tokens FTS5 makes of it: one, but for a word
    split by FTS5_SEPARATORS, whose parts are ANDed as separate words.

    Never a quoted term of two tokens: that is a phrase, which the FTS5 table
    cannot answer without token positions (`detail = column`, migration 0020).
    A word of separators only stays as it is: FTS5 makes no token of it, as
    before.
    """
    return [part for part in _FTS5_SEPARATOR.split(word) if part] or [word]


def _fts5_tags(search: MentorSearch) -> list[str]:
    """The topic and language filters over the FTS5 `tags` column (migration 0016):
    `t<topic>`, lower case without underscores, and `l<code>`; one OR group each."""

    def any_of(tags: list[str]) -> str:
        return " OR ".join('"' + tag.replace('"', '""') + '"' for tag in tags)

    groups = []
    if search.topics:
        groups.append(
            any_of([f"t{topic.value.lower().replace('_', '')}" for topic in search.topics])
        )
    if search.languages:
        groups.append(any_of([f"l{code.lower()}" for code in search.languages]))
    return groups


def _lowered_in(column: str, values: tuple[str, ...], params: Params) -> str:
    # lower() on both sides: case-insensitive on the whole value. SQLite's
    # lower() folds ASCII letters only; PostgreSQL's folds all of Unicode.
    return f"lower({column}) IN ({', '.join(f'lower({params.add(v)})' for v in values)})"


def where(search: MentorSearch, params: Params, *, text: bool = True) -> str:
    """Every filter; without `text`, all but the words (the caller joins the hits itself)."""
    clauses = ["mp.is_complete", not_suspended_sql("mp.user_id")]
    if search.words and text:
        clauses.append(f"mp.id IN ({_text_hits(search, params)})")
    if search.topics:
        mask = topic_mask(topic.value for topic in search.topics)
        clauses.append(f"(mp.topic_mask & {params.add(mask)}) <> 0")
    if search.languages:
        # Checked on the row already read, which at 100,000 mentors beats
        # building the IN list of every speaker of a common language.
        clauses.append(params.json_array_has_any("mp.languages", search.languages))
    if search.countries:
        clauses.append(f"mp.country IN ({params.add_all(search.countries)})")
    if search.industries:
        clauses.append(_lowered_in("mp.industry", search.industries, params))
    if search.fields_of_study:
        clauses.append(_lowered_in("mp.field_of_study", search.fields_of_study, params))
    if search.min_years is not None:
        clauses.append(f"mp.years_of_experience >= {params.add(search.min_years)}")
    if search.max_years is not None:
        clauses.append(f"mp.years_of_experience <= {params.add(search.max_years)}")
    if search.accepting_mentees is not None:
        accepting = search.accepting_mentees
        clauses.append(accepts_mentees_sql("mp") if accepting else not_accepting_sql("mp"))
    if search.viewer_id is not None:
        clauses.append(f"mp.user_id NOT IN ({hidden_users_sql(search.viewer_id, params)})")
    return " AND ".join(f"({clause})" for clause in clauses)


async def search_mentors(search: MentorSearch, *, first: int, after_id: int | None) -> SearchPage:
    """The next `first` matches after `after_id`, in id order, with their rows."""
    db = connection()
    params = Params(dialect_of(db))
    if params.dialect == POSTGRES and search.words and _hit_checks_only(search):
        return await _postgres_hits_page(search, first=first, after_id=after_id)
    if params.dialect != POSTGRES and search.words:
        # FTS5 hands out its hits in rowid order and stops at the LIMIT: the
        # page reads its hits' rows only. As `mp.id IN (hits)`, every hit was
        # found first (20 ms for "data" at 1,000,000 mentors, 0.1 ms so).
        fts_query = _fts5_query(search)
        page = (
            "SELECT mp.id FROM mentor_search CROSS JOIN mentor_profile mp "
            f"ON mp.id = mentor_search.rowid WHERE mentor_search MATCH {params.add(fts_query)} "
            f"AND {where(search, params, text=False)}"
        )
        if after_id is not None:
            page += f" AND mentor_search.rowid > {params.add(after_id)}"
        page += f" ORDER BY mentor_search.rowid LIMIT {params.add(first + 1)}"
    else:
        condition = where(search, params)
        if after_id is not None:
            condition += f" AND mp.id > {params.add(after_id)}"
        page = (
            f"SELECT mp.id FROM mentor_profile mp WHERE {condition} "
            f"ORDER BY mp.id LIMIT {params.add(first + 1)}"
        )
    return _search_page(await _page_rows(db, page, params), first)


async def _page_rows(db: BaseDBAsyncClient, page: str, params: Params) -> list[dict[str, Any]]:
    """The rows and names of the mentors `page` (`SELECT <id> ...`) finds, in id order."""
    sql = f"SELECT {MENTOR_COLUMNS} FROM ({page}) AS page {mentor_joins('page')} ORDER BY m.id"
    return await fetch(db, sql, params)


def _search_page(rows: list[dict[str, Any]], first: int) -> SearchPage:
    """A page of `first` from up to `first + 1` rows: one more means a next page."""
    mentors = [found_mentor(row) for row in rows]
    return SearchPage(mentors=mentors[:first], has_next_page=len(mentors) > first)


# PostgreSQL: the documents a page of a text search reads in id order before
# it finds its hits in the GIN index instead (`_postgres_hits_page`).
PAGE_WINDOW = 5000


async def _postgres_hits_page(
    search: MentorSearch, *, first: int, after_id: int | None
) -> SearchPage:
    """A page of a search of words, topics and languages, from `mentor_search` alone.

    The documents are those of findable mentors with their topic and
    language tags (migrations 0015, 0017), so the hits are the matches, less
    the mentors hidden from the viewer. Reading the documents in id order and
    stopping at the page is fastest when hits are common ("data" at
    1,000,000 mentors: 1,000 documents for a page of 20, 2 ms), and slowest
    when they are rare: the planner chose it for "research physics" too, 743
    hits, and read 110,000 documents in 43 ms, where the GIN index finds them
    all in 2. So the documents are read in id order up to `PAGE_WINDOW`; a
    page not full by then is read from the GIN index, from the cursor on:
    its hits are few, or it is the last page.
    """
    db = connection()
    rows: list[dict[str, Any]] = []
    for windowed in (True, False):
        params = Params(dialect_of(db))
        conditions = ""
        if after_id is not None:
            conditions += f" AND ms.mentor_id > {params.add(after_id)}"
        if search.viewer_id is not None:
            hidden = hidden_users_sql(search.viewer_id, params)
            conditions += (
                " AND ms.mentor_id NOT IN (SELECT hp.id FROM mentor_profile hp"
                f" WHERE hp.user_id IN ({hidden}))"
            )
        query = _tsquery(search, params)
        if windowed:
            # LIMIT inside: the planner cannot turn the window into a GIN scan.
            page = (
                "SELECT w.id FROM (SELECT ms.mentor_id AS id, ms.document FROM mentor_search ms"
                f" WHERE TRUE{conditions} ORDER BY ms.mentor_id LIMIT {PAGE_WINDOW}) AS w"
                f" WHERE w.document @@ {query}"
            )
        else:
            # MATERIALIZED: every hit from the GIN index first, then the page's.
            page = (
                "WITH w AS MATERIALIZED (SELECT ms.mentor_id AS id FROM mentor_search ms"
                f" WHERE ms.document @@ {query}{conditions}) SELECT w.id FROM w"
            )
        page += f" ORDER BY w.id LIMIT {params.add(first + 1)}"
        rows = await _page_rows(db, page, params)
        if len(rows) > first:
            break
    return _search_page(rows, first)


async def count_mentors(search: MentorSearch) -> int:
    """How many mentors match, on every page together.

    A search of words, topics and languages only is counted from its
    full-text hits, and its count is kept per process under the search
    version (`_kept_count`). Other filters read each hit's row on PostgreSQL
    (LATERAL with OFFSET 0 keeps that plan: left to itself, the planner
    scanned every mentor row in parallel and hashed the hits, 5 times slower
    at 100,000) or every mentor row without words.
    """
    if search.words and _hit_checks_only(search):
        return await _kept_count(search)
    db = connection()
    params = Params(dialect_of(db))
    if params.dialect == POSTGRES and search.words:
        hits = _text_hits(search, params)
        sql = (
            f"SELECT COUNT(*) AS n FROM ({hits}) AS hits, LATERAL (SELECT 1 FROM mentor_profile mp "
            f"WHERE mp.id = hits.mentor_id AND {where(search, params, text=False)} OFFSET 0) AS one"
        )
    else:
        sql = f"SELECT COUNT(*) AS n FROM mentor_profile mp WHERE {where(search, params)}"
    rows = await fetch(db, sql, params)
    return int(rows[0]["n"])


async def _kept_count(search: MentorSearch) -> int:
    """The count of a search of words, topics and languages, in one statement.

    The statement reads the search version (migration 0018) and counts
    everyone's hits only when the version is not the one this process kept
    the count under (`orm.search_counts`): a client paging through a search,
    or many asking the same, pay for the count once per change. The mentors
    hidden from the viewer (blocked either way, few) are counted among the
    hits each time and subtracted.

    Everyone's hits are the full-text index's alone, the GIN index's on
    PostgreSQL and FTS5's on SQLite: `mentor_search` holds the documents of
    findable mentors only (complete, member not suspended; migrations 0017
    and 0020), with their topic and language tags. On SQLite that took the
    bench's six counts at 1,000,000 mentors from 203-232 ms together, each hit
    checked in `mentor_hit_idx`, to 92-100.
    """
    db = connection()
    params = Params(dialect_of(db))
    everyone = replace(search, viewer_id=None)
    key = (search.words, frozenset(t.value for t in search.topics), frozenset(search.languages))
    kept = search_counts.COUNTS.get(key)
    known = params.add(kept.version if kept is not None else None)
    if params.dialect == POSTGRES:
        query = _tsquery(everyone, params)  # numbered: its parameters serve the hidden count too
        counted = f"SELECT COUNT(*) FROM mentor_search WHERE document @@ {query}"
    else:
        fts_query = _fts5_query(everyone)  # positional: added again for the hidden count
        counted = (
            f"SELECT COUNT(*) FROM mentor_search WHERE mentor_search MATCH {params.add(fts_query)}"
        )
    # The CASE runs its subquery only when it takes that branch, on both engines.
    sql = f"SELECT s.version, CASE WHEN s.version = {known} THEN NULL ELSE ({counted}) END AS n"
    if search.viewer_id is not None:
        hidden = hidden_users_sql(search.viewer_id, params)
        if params.dialect == POSTGRES:
            among = (
                "SELECT COUNT(*) FROM mentor_profile mp JOIN mentor_search ms"
                f" ON ms.mentor_id = mp.id WHERE mp.user_id IN ({hidden})"
                f" AND ms.document @@ {query}"
            )
        else:
            among = (
                f"SELECT COUNT(*) FROM mentor_profile mp WHERE mp.user_id IN ({hidden}) "
                "AND EXISTS (SELECT 1 FROM mentor_search "
                f"WHERE mentor_search MATCH {params.add(fts_query)} "
                "AND mentor_search.rowid = mp.id)"
            )
        sql += f", ({among}) AS hidden"
    sql += f" FROM ({search_counts.VERSION_SQL_AS_ROW}) AS s"
    row = (await fetch(db, sql, params))[0]
    if row["n"] is None and kept is not None:
        total = kept.count
    else:
        total = int(row["n"])
        if row["version"] is not None:
            search_counts.COUNTS.put(key, search_counts.Kept(int(row["version"]), total))
    return total - int(row.get("hidden") or 0)


def _hit_checks_only(search: MentorSearch) -> bool:
    """Whether every filter but the words is one the search documents answer:
    completeness and suspension (only findable mentors have a document),
    topics and languages (their tags); and blocks, subtracted per viewer."""
    return not (
        search.countries
        or search.industries
        or search.fields_of_study
        or search.min_years is not None
        or search.max_years is not None
        or search.accepting_mentees is not None
    )
