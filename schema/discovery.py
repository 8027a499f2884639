"""Discovery in GraphQL: mentor search, suggestions and match scores."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from orm.suggestions import Criterion
from resolvers import cursors, discovery
from resolvers.language import Language
from schema.core.context import Info
from schema.core.language import request_language
from schema.core.selection import below
from schema.enums import Topic, describe_values
from schema.inputs import sent_fields
from schema.paging import PageInfo
from schema.profiles import Mentor

strawberry.enum(Criterion, name="MatchCriterion", description="What a match reason is about.")
describe_values(
    Criterion,
    {
        Criterion.TOPICS: "Topics the mentee wants that the mentor offers, points for each.",
        Criterion.LANGUAGES: "Languages both speak (one shared language is a hard filter).",
        Criterion.INDUSTRY: "The same industry.",
        Criterion.FIELD_OF_STUDY: "The same field of study.",
        Criterion.EXPERIENCE: "At least 2 more years of experience than the mentee; "
        "more for a bigger gap.",
        Criterion.SITUATION: "The mentor offers a topic that helps with the mentee's situation.",
        Criterion.LOCATION: "The mentor lives where a RELOCATION mentee is moving to, "
        "or else in the mentee's own country.",
        Criterion.TIME_ZONE: "Clocks at most 5 hours apart (now); the closer, the more points.",
        Criterion.CAPACITY: "The mentor has free places (up to 3 count).",
        Criterion.RESPONSIVENESS: "The share of requests the mentor answered within 48 hours "
        "(0 to 6 points; a mentor without history gets the middle, 3).",
    },
)


@strawberry.input(
    description=(
        "Search criteria: any value within one list matches (OR), every given filter must "
        "hold (AND); an omitted field, null or an empty list is no filter."
    )
)
class MentorFilter:
    text: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "Whole words, all of which must occur in the name, headline, bio, industry or "
            "field of study; case-insensitive (diacritics ignored on SQLite). "
            "At most 10 words and 200 characters; operators are plain text."
        ),
    )
    topics: list[Topic] | None = strawberry.field(
        default=strawberry.UNSET, description="The mentor offers one of them."
    )
    languages: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="ISO 639-1 codes: the mentor speaks one."
    )
    countries: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="ISO 3166-1 alpha-2 codes."
    )
    industries: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Whole values, case-insensitive."
    )
    fields_of_study: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Whole values, case-insensitive."
    )
    min_years_of_experience: int | None = strawberry.field(
        default=strawberry.UNSET, description="At least this many years, 0 to 70."
    )
    max_years_of_experience: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="At most this many years, 0 to 70, not below minYearsOfExperience.",
    )
    accepting_mentees: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Matches Mentor.acceptingMentees: the switch is on and a place is free.",
    )


@strawberry.type(description="One mentor of a search page, with its place in the results.")
class MentorEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this mentor.")
    node: Mentor = strawberry.field(description="The mentor found.")


async def resolve_total_count(root: strawberry.Parent[MentorConnection]) -> int:
    # Counted only when asked for: paging through results needs no count.
    return await root.result.total_count()


@strawberry.type(description="One page of search results, in a stable order.")
class MentorConnection:
    result: strawberry.Private[discovery.SearchResult]
    edges: list[MentorEdge] = strawberry.field(description="This page's mentors, in order.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the results.")
    total_count: int = strawberry.field(
        resolver=resolve_total_count, description="How many mentors match, over all pages."
    )


REASONS = "The criteria that earned points, each once; their points add up to the score."


@strawberry.type(
    description="One criterion's share of a score: a value without identity of its own (no id)."
)
class Reason:
    criterion: Criterion = strawberry.field(description="What earned the points.")
    points: int = strawberry.field(
        description="Always more than 0: criteria that earn nothing are left out."
    )
    detail: str = strawberry.field(description="For people, e.g. 'Shares 2 of your 3 topics: ...'.")


@strawberry.type(
    description="A suggested mentor, with the reasons for the score: a value without identity "
    "of its own (no id), computed for each request; the mentor has one."
)
class MentorSuggestion:
    score: int = strawberry.field(description="The sum of the reasons' points.")
    reasons: list[Reason] = strawberry.field(description=REASONS)
    mentor: Mentor = strawberry.field(description="The mentor suggested.")


@strawberry.type(
    description="How well one mentor matches the viewer: a value without identity of its own "
    "(no id), computed for each request; the mentor has one."
)
class MatchScore:
    score: int = strawberry.field(description="The sum of the reasons' points.")
    eligible: bool = strawberry.field(
        description="False where a hard filter keeps this mentor out of suggestions."
    )
    exclusions: list[str] = strawberry.field(
        description="One readable sentence per hard filter this mentor fails; empty when eligible."
    )
    reasons: list[Reason] = strawberry.field(description=REASONS)
    mentor: Mentor = strawberry.field(description="The mentor scored.")


def _reasons(match: discovery.Match, language: Language) -> list[Reason]:
    return [
        Reason(criterion=r.criterion, points=r.points, detail=r.detail.in_language(language))
        for r in match.reasons
    ]


def _mentor(match: discovery.Match) -> Mentor:
    return Mentor.from_row(match.mentor, match.user)


async def resolve_search_mentors(
    info: Info,
    filter: Annotated[
        MentorFilter | None, strawberry.argument(description="Null or omitted: every mentor.")
    ] = None,
    first: Annotated[
        int | None, strawberry.argument(description="Page size, 1 to 100 (default 20).")
    ] = None,
    after: Annotated[
        str | None,
        strawberry.argument(description="An `endCursor` of an earlier page of this search."),
    ] = None,
) -> MentorConnection:
    sent: dict[str, Any] = sent_fields(filter) if filter is not None else {}
    viewer = await info.context.viewer()
    viewer_id = viewer.id if viewer else None
    counted = "totalCount" in below(info)
    result = await discovery.search_mentors(
        sent, first, after, viewer_id=viewer_id, counted=counted
    )
    edges = [
        MentorEdge(
            cursor=cursors.search_cursor(found.profile.id),
            node=Mentor.from_row(found.profile, found.user),
        )
        for found in result.mentors
    ]
    return MentorConnection(
        result=result,
        edges=edges,
        page_info=PageInfo(
            has_next_page=result.has_next_page,
            has_previous_page=False,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


async def resolve_mentor_suggestions(
    info: Info,
    first: Annotated[
        int | None, strawberry.argument(description="How many, 1 to 50 (default 10).")
    ] = None,
) -> list[MentorSuggestion]:
    user = await info.context.require_viewer()
    matches = await discovery.mentor_suggestions(user, first, now=info.context.now())
    language = await request_language(info.context)
    return [
        MentorSuggestion(score=m.score, reasons=_reasons(m, language), mentor=_mentor(m))
        for m in matches
    ]


async def resolve_match_score(
    info: Info,
    mentor_id: Annotated[
        strawberry.ID, strawberry.argument(description="The mentor profile's id.")
    ],
) -> MatchScore:
    user = await info.context.require_viewer()
    match = await discovery.match_score(user, mentor_id, now=info.context.now())
    language = await request_language(info.context)
    return MatchScore(
        score=match.score,
        eligible=match.eligible,
        exclusions=[exclusion.in_language(language) for exclusion in match.exclusions],
        reasons=_reasons(match, language),
        mentor=_mentor(match),
    )


@strawberry.type
class DiscoveryQueries:
    search_mentors: MentorConnection = strawberry.field(
        resolver=resolve_search_mentors,
        description=(
            "Mentors matching a filter, in mentor id order; open to everyone. Only complete "
            "mentor profiles are found. `first` is 1 to 100 (default 20); `after` is an "
            "`endCursor` of an earlier page of this search."
        ),
    )
    mentor_suggestions: list[MentorSuggestion] = strawberry.field(
        resolver=resolve_mentor_suggestions,
        description=(
            "The viewer's best mentors, best first (ties by mentor id); `first` is 1 to 50 "
            "(default 10). Needs a complete mentee profile (else PROFILE_INCOMPLETE)."
        ),
    )
    match_score: MatchScore = strawberry.field(
        resolver=resolve_match_score,
        description="Score, reasons and eligibility of one mentor for the viewer.",
    )
