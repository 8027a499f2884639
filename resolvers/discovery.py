"""Discovery: mentor search, suggestions and match scores.

Filter values are validated like the profile fields they match, and a bad
one is BAD_USER_INPUT naming the filter field as the input names it, without
the argument (`countries[1]`, `minYearsOfExperience`, `text`), as profile
saves name `languages[0]`. An empty list is no filter, like an omitted one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from orm import search as search_rows
from orm import suggestions as suggestion_rows
from orm.models import MentorProfile, User
from orm.records import UserName
from orm.search import FoundMentor
from orm.timezones import hour_of
from orm.traits import MenteeTraits, mentee_profile
from resolvers import completeness, validation
from resolvers.catalogue import Text, _
from resolvers.cursors import parse_search_cursor
from resolvers.errors import BadUserInput, NotFound, ProfileIncomplete
from resolvers.ids import parse_id
from resolvers.profiles import MAX_NAME, MAX_YEARS, visible_to
from resolvers.scoring import WEIGHTS, Facts, Reason, reasons

SEARCH_PAGE = (20, 100)  # default and largest `first` of searchMentors
SUGGESTION_PAGE = (10, 50)  # default and largest `first` of mentorSuggestions
MAX_TEXT = 200
MAX_WORDS = 10
MAX_LIST = 20


def page_size(value: int | None, limits: tuple[int, int]) -> int:
    default, largest = limits
    if value is None:
        return default
    if not 1 <= value <= largest:
        raise BadUserInput("first", _("must be between 1 and {largest}.", largest=largest))
    return value


def _list(field: str, values: Sequence[Any] | None) -> Sequence[Any]:
    if values is not None and len(values) > MAX_LIST:
        raise BadUserInput(field, _("must have at most {max_list} entries.", max_list=MAX_LIST))
    return values or ()


def _names(field: str, values: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(
        validation.unique(
            validation.required_text(f"{field}[{index}]", value, max_length=MAX_NAME)
            for index, value in enumerate(_list(field, values))
        )
    )


def _countries(values: Sequence[str] | None) -> tuple[str, ...]:
    codes = []
    for index, value in enumerate(_list("countries", values)):
        code = validation.country(f"countries[{index}]", value)
        if code is None:
            raise BadUserInput(f"countries[{index}]", _("must not be empty."))
        codes.append(code)
    return tuple(validation.unique(codes))


def _words(value: str | None) -> tuple[str, ...]:
    text = validation.text("text", value, max_length=MAX_TEXT)
    words = search_rows.words_of(text or "")
    if len(words) > MAX_WORDS:
        raise BadUserInput("text", _("must have at most {max_words} words.", max_words=MAX_WORDS))
    return words


def _years(field: str, value: int | None) -> int | None:
    return validation.integer(field, value, minimum=0, maximum=MAX_YEARS)


def parse_filter(sent: Mapping[str, Any]) -> search_rows.MentorSearch:
    """The validated search criteria from the filter fields the client sent.

    BadUserInput names every bad field at once.
    """
    collected = validation.Collected()
    low = high = None
    words: tuple[str, ...] = ()
    topics: tuple[Any, ...] = ()
    languages: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    fields_of_study: tuple[str, ...] = ()
    with collected:
        low = _years("minYearsOfExperience", sent.get("minYearsOfExperience"))
    with collected:
        high = _years("maxYearsOfExperience", sent.get("maxYearsOfExperience"))
    if low is not None and high is not None and low > high:
        collected.add(
            BadUserInput("minYearsOfExperience", _("must not exceed maxYearsOfExperience."))
        )
    with collected:
        words = _words(sent.get("text"))
    with collected:
        topics = tuple(validation.unique(_list("topics", sent.get("topics"))))
    with collected:
        sent_languages = list(_list("languages", sent.get("languages")))
        languages = tuple(validation.languages("languages", sent_languages, max_items=MAX_LIST))
    with collected:
        countries = _countries(sent.get("countries"))
    with collected:
        industries = _names("industries", sent.get("industries"))
    with collected:
        fields_of_study = _names("fieldsOfStudy", sent.get("fieldsOfStudy"))
    collected.raise_any()
    return search_rows.MentorSearch(
        words=words,
        topics=topics,
        languages=languages,
        countries=countries,
        industries=industries,
        fields_of_study=fields_of_study,
        min_years=low,
        max_years=high,
        accepting_mentees=sent.get("acceptingMentees"),
    )


@dataclass(frozen=True)
class SearchResult:
    criteria: search_rows.MentorSearch
    mentors: list[FoundMentor]
    has_next_page: bool
    # The count, started beside the page when the query asked for it.
    counting: asyncio.Future[int] | None = None

    async def total_count(self) -> int:
        if self.counting is not None:
            return await self.counting
        return await search_rows.count_mentors(self.criteria)


def _retrieve(done: asyncio.Future[int]) -> None:
    if not done.cancelled():
        done.exception()


async def search_mentors(
    sent: Mapping[str, Any],
    first: int | None,
    after: str | None,
    *,
    viewer_id: int | None = None,
    counted: bool = False,
) -> SearchResult:
    """A page of matches; a signed-in viewer never finds a member blocked either way.

    `counted`: the query asks for the total too. A count of a text search
    costs more than its page at 1,000,000 mentors; it runs beside the page,
    which on PostgreSQL is another connection of the pool, so the request
    waits for the longer of the two, not both.
    """
    size = page_size(first, SEARCH_PAGE)
    after_id = parse_search_cursor("after", after) if after is not None else None
    criteria = replace(parse_filter(sent), viewer_id=viewer_id)
    counting = asyncio.ensure_future(search_rows.count_mentors(criteria)) if counted else None
    if counting is not None:
        # A failure is raised where the total is read; a total never read (an
        # error elsewhere ended the request) is not an unretrieved failure.
        counting.add_done_callback(_retrieve)
    try:
        page = await search_rows.search_mentors(criteria, first=size, after_id=after_id)
    except BaseException:
        if counting is not None:
            counting.cancel()
        raise
    return SearchResult(criteria, page.mentors, page.has_next_page, counting)


ALL_MENTEE_FIELDS = [name for r in completeness.MENTEE_REQUIREMENTS for name in r.input_fields]


async def mentee_traits(user: User, now: datetime) -> MenteeTraits:
    """The viewer as a mentee; PROFILE_INCOMPLETE unless the profile is complete."""
    profile = await mentee_profile(user.id)
    missing = completeness.of_mentee(profile).missing_fields if profile else ALL_MENTEE_FIELDS
    if profile is None or missing:
        raise ProfileIncomplete(_("Complete your mentee profile to get suggestions."), missing)
    return MenteeTraits.of(profile, now)


@dataclass(frozen=True)
class Match:
    mentor: MentorProfile
    user: UserName  # the mentor's
    score: int
    reasons: list[Reason]
    exclusions: list[Text]

    @property
    def eligible(self) -> bool:
        return not self.exclusions


def _match(
    scored: suggestion_rows.Scored, mentee: MenteeTraits, found: FoundMentor, at: datetime
) -> Match:
    mentor = found.profile
    return Match(
        mentor=mentor,
        user=found.user,
        score=scored.score,
        reasons=reasons(scored, Facts(mentee=mentee, mentor=mentor, at=at)),
        exclusions=[Text(rule.refusal) for rule in scored.failed_rules],
    )


async def mentor_suggestions(user: User, first: int | None, *, now: datetime) -> list[Match]:
    size = page_size(first, SUGGESTION_PAGE)
    mentee = await mentee_traits(user, now)
    at = hour_of(now)
    best = await suggestion_rows.best_mentors(mentee, WEIGHTS, first=size, at=at)
    found = await search_rows.mentors_by_id([scored.mentor_id for scored in best])
    # A mentor deleted since the scoring statement is left out.
    return [
        _match(scored, mentee, found[scored.mentor_id], at)
        for scored in best
        if scored.mentor_id in found
    ]


async def match_score(user: User, mentor_id: str, *, now: datetime) -> Match:
    key = parse_id(mentor_id, what="mentor")
    mentee = await mentee_traits(user, now)
    at = hour_of(now)
    explained = await suggestion_rows.score_one(mentee, WEIGHTS, key, at=at)
    if explained is None or not visible_to(explained[1].profile, user.id):
        raise NotFound("mentor")
    scored, found = explained
    return _match(scored, mentee, found, at)
