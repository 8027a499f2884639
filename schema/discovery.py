"""Discovery in GraphQL: mentor search, suggestions and match scores."""

from __future__ import annotations

from typing import Any

import strawberry

from orm.suggestions import Criterion
from resolvers import cursors, discovery
from schema.core.context import Info
from schema.enums import Topic
from schema.inputs import sent_fields
from schema.paging import PageInfo
from schema.profiles import Mentor

strawberry.enum(Criterion, name="MatchCriterion", description="What a match reason is about.")


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
    topics: list[Topic] | None = strawberry.UNSET
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
    min_years_of_experience: int | None = strawberry.UNSET
    max_years_of_experience: int | None = strawberry.UNSET
    accepting_mentees: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Matches Mentor.acceptingMentees: the switch is on and a place is free.",
    )


@strawberry.type
class MentorEdge:
    cursor: str
    node: Mentor


async def resolve_total_count(root: strawberry.Parent[MentorConnection]) -> int:
    # Counted only when asked for: paging through results needs no count.
    return await root.result.total_count()


@strawberry.type(description="One page of search results, in a stable order.")
class MentorConnection:
    result: strawberry.Private[discovery.SearchResult]
    edges: list[MentorEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(
        resolver=resolve_total_count, description="How many mentors match, over all pages."
    )


@strawberry.type(
    description="One criterion's share of a score: a value without identity of its own (no id)."
)
class Reason:
    criterion: Criterion
    points: int
    detail: str = strawberry.field(description="For people, e.g. 'Shares 2 of your 3 topics: ...'.")


@strawberry.type(
    description="A suggested mentor, with the reasons for the score: a value without identity "
    "of its own (no id), computed for each request; the mentor has one."
)
class MentorSuggestion:
    score: int = strawberry.field(description="The sum of the reasons' points.")
    reasons: list[Reason]
    mentor: Mentor


@strawberry.type(
    description="How well one mentor matches the viewer: a value without identity of its own "
    "(no id), computed for each request; the mentor has one."
)
class MatchScore:
    score: int = strawberry.field(description="The sum of the reasons' points.")
    eligible: bool = strawberry.field(
        description="False where a hard filter keeps this mentor out of suggestions."
    )
    exclusions: list[str] = strawberry.field(description="The hard filters this mentor fails.")
    reasons: list[Reason]
    mentor: Mentor


def _reasons(match: discovery.Match) -> list[Reason]:
    return [Reason(criterion=r.criterion, points=r.points, detail=r.detail) for r in match.reasons]


def _mentor(match: discovery.Match) -> Mentor:
    return Mentor.from_row(match.mentor, match.user)


async def resolve_search_mentors(
    filter: MentorFilter | None = None, first: int | None = None, after: str | None = None
) -> MentorConnection:
    sent: dict[str, Any] = sent_fields(filter) if filter is not None else {}
    result = await discovery.search(sent, first, after)
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
    info: Info, first: int | None = None
) -> list[MentorSuggestion]:
    user = await info.context.require_viewer()
    matches = await discovery.suggestions(user, first, now=info.context.now())
    return [
        MentorSuggestion(score=m.score, reasons=_reasons(m), mentor=_mentor(m)) for m in matches
    ]


async def resolve_match_score(info: Info, mentor_id: strawberry.ID) -> MatchScore:
    user = await info.context.require_viewer()
    match = await discovery.match_score(user, mentor_id, now=info.context.now())
    return MatchScore(
        score=match.score,
        eligible=match.eligible,
        exclusions=match.exclusions,
        reasons=_reasons(match),
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
