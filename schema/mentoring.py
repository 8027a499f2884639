"""The mentoring lifecycle's root fields: requests, agreements, ending, feedback."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry

from orm.listing import Wanted
from resolvers import agreements, relationships, requests
from resolvers.agreements import ProposedTerms
from schema.core.context import Info
from schema.core.selection import Selected, below
from schema.enums import Cadence, Channel, RelationshipStatus, Topic
from schema.permissions import SIGNED_IN
from schema.relationships import Agreement, Feedback, Relationship


def _argument(description: str) -> Any:
    return strawberry.argument(description=description)


# The relationship a lifecycle mutation acts on, by the participant it names.
OF_MENTOR = _argument("A relationship in which the viewer is the mentor.")
OF_MENTEE = _argument("A relationship in which the viewer is the mentee.")
OF_VIEWER = _argument("A relationship in which the viewer takes part.")


def _when(info: Info) -> dict[str, Any]:
    """The request's instant and outbox, which every lifecycle function takes."""
    return {"now": info.context.now(), "outbox": info.context.outbox}


@strawberry.input(description="A mentee's request to a mentor.")
class MentoringRequestInput:
    mentor_id: strawberry.ID = strawberry.field(description="The mentor profile's id.")
    message: str = strawberry.field(
        description="50 to 4,000 characters about goals and background: the first message."
    )
    topics: list[Topic] | None = strawberry.field(
        default=None, description="What the mentee wants to work on; repeats dropped."
    )
    goals: str | None = strawberry.field(default=None, description="Up to 2,000 characters.")


@strawberry.input(description="Terms proposed as a new version of the agreement.")
class AgreementInput:
    relationship_id: strawberry.ID = strawberry.field(
        description="The relationship the terms are for: ACCEPTED, ACTIVE or COMPLETED."
    )
    goals: list[str] = strawberry.field(description="1 to 10 entries, each up to 500 characters.")
    topics: list[Topic] = strawberry.field(description="At least one.")
    cadence: Cadence = strawberry.field(description="How often to meet.")
    channels: list[Channel] = strawberry.field(description="At least one.")
    starts_on: date = strawberry.field(
        description="From 12 months before today to 24 months after it."
    )
    ends_on: date = strawberry.field(
        description="After startsOn and at most 24 months later; 6 to 12 months are advised."
    )
    expectations: str | None = strawberry.field(default=None, description="Up to 2,000 characters.")


def _wanted(selected: Selected) -> Wanted:
    """What to read along with the relationships, for what the query selects."""
    return Wanted(
        agreement="agreement" in selected,
        last_message="lastMessage" in selected,
        unread="unreadCount" in selected,
    )


async def resolve_my_relationships(
    info: Info,
    status: Annotated[
        list[RelationshipStatus] | None,
        _argument("Only relationships in one of these statuses; null or empty: all."),
    ] = None,
) -> list[Relationship]:
    viewer = await info.context.require_viewer()
    selected = below(info)
    seen = await relationships.my_relationships(viewer, status, _wanted(selected), **_when(info))
    return [Relationship.listed(item, role, info.context, selected) for item, role in seen]


async def resolve_relationship(
    info: Info, id: Annotated[strawberry.ID, _argument("The relationship's id.")]
) -> Relationship:
    viewer = await info.context.require_viewer()
    selected = below(info)
    item, role = await relationships.relationship(viewer, id, _wanted(selected), **_when(info))
    return Relationship.listed(item, role, info.context, selected)


async def resolve_request_mentoring(
    info: Info, input: Annotated[MentoringRequestInput, _argument("The request.")]
) -> Relationship:
    viewer = await info.context.require_viewer()
    seen = await requests.request_mentoring(
        viewer,
        limiter=info.context.services.rate_limiter,
        mentor_id=input.mentor_id,
        message=input.message,
        topics=input.topics,
        goals=input.goals,
        keys=info.context.services.message_keys,
        **_when(info),
    )
    return Relationship.of(seen, info.context)


async def resolve_accept_mentoring_request(
    info: Info, relationship_id: Annotated[strawberry.ID, OF_MENTOR]
) -> Relationship:
    viewer = await info.context.require_viewer()
    return Relationship.of(
        await requests.accept_mentoring_request(viewer, relationship_id, **_when(info)),
        info.context,
    )


async def resolve_decline_mentoring_request(
    info: Info,
    relationship_id: Annotated[strawberry.ID, OF_MENTOR],
    reason: Annotated[
        str | None, _argument("Why, up to 1,000 characters; the mentee reads it.")
    ] = None,
) -> Relationship:
    viewer = await info.context.require_viewer()
    seen = await requests.decline_mentoring_request(viewer, relationship_id, reason, **_when(info))
    return Relationship.of(seen, info.context)


async def resolve_withdraw_mentoring_request(
    info: Info, relationship_id: Annotated[strawberry.ID, OF_MENTEE]
) -> Relationship:
    viewer = await info.context.require_viewer()
    return Relationship.of(
        await requests.withdraw_mentoring_request(viewer, relationship_id, **_when(info)),
        info.context,
    )


async def resolve_propose_agreement(
    info: Info, input: Annotated[AgreementInput, _argument("The terms.")]
) -> Agreement:
    viewer = await info.context.require_viewer()
    proposed = ProposedTerms(
        goals=input.goals,
        topics=input.topics,
        expectations=input.expectations,
        cadence=input.cadence,
        channels=input.channels,
        starts_on=input.starts_on,
        ends_on=input.ends_on,
    )
    row = await agreements.propose_agreement(viewer, input.relationship_id, proposed, **_when(info))
    return Agreement.from_row(row, info.context)


async def resolve_accept_agreement(
    info: Info,
    relationship_id: Annotated[strawberry.ID, OF_VIEWER],
    version: Annotated[
        int, _argument("The version to accept: the latest proposal, made by the other side.")
    ],
) -> Relationship:
    viewer = await info.context.require_viewer()
    seen = await agreements.accept_agreement(viewer, relationship_id, version, **_when(info))
    return Relationship.of(seen, info.context)


async def resolve_end_relationship(
    info: Info,
    relationship_id: Annotated[strawberry.ID, OF_VIEWER],
    reason: Annotated[
        str | None, _argument("Why, up to 1,000 characters; the partner reads it.")
    ] = None,
) -> Relationship:
    viewer = await info.context.require_viewer()
    seen = await relationships.end_relationship(viewer, relationship_id, reason, **_when(info))
    return Relationship.of(seen, info.context)


async def resolve_give_feedback(
    info: Info,
    relationship_id: Annotated[strawberry.ID, OF_VIEWER],
    rating: Annotated[int, _argument("1 to 5.")],
    comment: Annotated[str | None, _argument("Up to 2,000 characters.")] = None,
) -> Feedback:
    viewer = await info.context.require_viewer()
    row = await relationships.give_feedback(viewer, relationship_id, rating, comment, **_when(info))
    return Feedback.from_row(row, info.context)


@strawberry.type
class RelationshipQueries:
    my_relationships: list[Relationship] = strawberry.field(
        resolver=resolve_my_relationships,
        permission_classes=SIGNED_IN,
        description="The viewer's relationships on either side, newest first; "
        "only the given statuses when `status` is a non-empty list.",
    )
    relationship: Relationship = strawberry.field(
        resolver=resolve_relationship,
        permission_classes=SIGNED_IN,
        description="One relationship, for its two participants only.",
    )


@strawberry.type
class RelationshipMutations:
    request_mentoring: Relationship = strawberry.mutation(
        resolver=resolve_request_mentoring,
        permission_classes=SIGNED_IN,
        description="Ask a mentor for mentoring (needs a complete mentee profile; "
        "at most 3 open requests).",
    )
    accept_mentoring_request: Relationship = strawberry.mutation(
        resolver=resolve_accept_mentoring_request,
        permission_classes=SIGNED_IN,
        description="The mentor accepts a request (needs a free place).",
    )
    decline_mentoring_request: Relationship = strawberry.mutation(
        resolver=resolve_decline_mentoring_request,
        permission_classes=SIGNED_IN,
        description="The mentor declines a request; `reason` up to 1,000 characters.",
    )
    withdraw_mentoring_request: Relationship = strawberry.mutation(
        resolver=resolve_withdraw_mentoring_request,
        permission_classes=SIGNED_IN,
        description="The mentee withdraws an unanswered request.",
    )
    propose_agreement: Agreement = strawberry.mutation(
        resolver=resolve_propose_agreement,
        permission_classes=SIGNED_IN,
        description="Either side proposes terms as a new version; the current terms "
        "stay until the other side accepts it.",
    )
    accept_agreement: Relationship = strawberry.mutation(
        resolver=resolve_accept_agreement,
        permission_classes=SIGNED_IN,
        description="The other side accepts the latest proposed version: the relationship "
        "is ACTIVE under these terms.",
    )
    end_relationship: Relationship = strawberry.mutation(
        resolver=resolve_end_relationship,
        permission_classes=SIGNED_IN,
        description="Either side ends an accepted or active relationship early.",
    )
    give_feedback: Feedback = strawberry.mutation(
        resolver=resolve_give_feedback,
        permission_classes=SIGNED_IN,
        description="Rate a COMPLETED or ENDED relationship (1 to 5), once per participant.",
    )
