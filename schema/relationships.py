"""Relationships in GraphQL: Relationship, Agreement, Member, Feedback.

A relationship's related things (partners, terms, last message, unread
count) are plain attributes (see `schema.core.deferred`): what the root resolver
read along with the relationships in one statement (`orm.listing`), else
loaded when selected through the request's DataLoaders, one query per kind
of thing for the whole list, never one per row.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import strawberry

from orm.listing import Listed
from orm.models import Agreement as AgreementRow
from orm.models import Feedback as FeedbackRow
from orm.models import Relationship as RelationshipRow
from orm.records import AgreementRecord, RelationshipRecord
from orm.vocabulary import ViewerRole as Role
from resolvers import messaging, nodes
from resolvers.ids import Kind, global_id
from resolvers.lifecycle import Participation, read_marker
from schema.core.context import Context, Info
from schema.core.deferred import Later, deferred
from schema.core.selection import Selected
from schema.enums import (
    AgreementStatus,
    Cadence,
    Channel,
    RelationshipStatus,
    Topic,
    ViewerRole,
    agreement_status,
    cadence,
    channel,
    relationship_status,
    topic,
)
from schema.identity import Node
from schema.members import Known, Member, member, user_of
from schema.messages import Message, MessageConnection, last_message, resolve_messages, unread_count
from schema.profiles import NAME_ONLY, Mentee, Mentor, NameOnly
from schema.working_together import ActionStep, Meeting

StoredAgreement = AgreementRow | AgreementRecord
StoredRelationship = RelationshipRow | RelationshipRecord


# Terms, feedback and messages link back to their relationship, defined below.
RelationshipRef = Annotated["Relationship", strawberry.lazy("schema.relationships")]


def _participants(item: Listed) -> Known:
    """Both participants, by user id, with the names the listing read."""
    return {
        item.mentor_user_id: Member.named(item.mentor_user_id, item.mentor_name),
        item.mentee_user_id: Member.named(item.mentee_user_id, item.mentee_name),
    }


async def resolve_relationship_of(root: strawberry.Parent[Any], info: Info) -> RelationshipRef:
    """The relationship that terms or feedback belong to, as the viewer sees it."""
    return await relationship_seen(info.context, root.relationship_key)


@strawberry.type(description="One version of a relationship's terms.")
class Agreement(Node):
    version: int = strawberry.field(description="1, 2, ...: each proposal adds one.")
    status: AgreementStatus = strawberry.field(description="Where this version stands.")
    goals: list[str] = strawberry.field(description="What the mentoring is to achieve.")
    topics: list[Topic] = strawberry.field(description="What the mentoring covers.")
    expectations: str | None = strawberry.field(
        description="What the partners expect of each other, if written down."
    )
    cadence: Cadence = strawberry.field(description="How often the partners meet.")
    channels: list[Channel] = strawberry.field(description="How the partners meet.")
    starts_on: date = strawberry.field(description="The first day of the mentoring.")
    ends_on: date = strawberry.field(description="The last day of the mentoring.")
    created_at: datetime = strawberry.field(description="When this version was proposed.")
    accepted_at: datetime | None = strawberry.field(
        description="When the other side accepted this version; null until then."
    )
    proposed_by: Member = strawberry.field(description="The participant who proposed it.")
    relationship_key: strawberry.Private[int]
    relationship: RelationshipRef = strawberry.field(
        resolver=resolve_relationship_of, description="The relationship these terms are for."
    )

    @classmethod
    def from_row(
        cls, row: StoredAgreement, context: Context, members: Known | None = None
    ) -> Agreement:
        return cls(
            id=strawberry.ID(global_id(Kind.AGREEMENT, row.id)),
            version=row.version,
            status=agreement_status(row.status),
            goals=list(row.goals),
            topics=[topic(value) for value in row.topics],
            expectations=row.expectations,
            cadence=cadence(row.cadence),
            channels=[channel(value) for value in row.channels],
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            created_at=row.created_at,
            accepted_at=row.accepted_at,
            proposed_by=member(context, row.proposed_by_id, members),
            relationship_key=row.relationship_id,
        )


@strawberry.type(description="What one participant said about a finished relationship.")
class Feedback(Node):
    rating: int = strawberry.field(description="1 to 5.")
    comment: str | None = strawberry.field(description="In the giver's words, if any.")
    created_at: datetime = strawberry.field(description="When it was given.")
    given_by: Member = strawberry.field(description="The participant who gave it.")
    relationship_key: strawberry.Private[int]
    relationship: RelationshipRef = strawberry.field(
        resolver=resolve_relationship_of, description="The relationship it is about."
    )

    @classmethod
    def from_row(cls, row: FeedbackRow, context: Context, members: Known | None = None) -> Feedback:
        return cls(
            id=strawberry.ID(global_id(Kind.FEEDBACK, row.id)),
            rating=row.rating,
            comment=row.comment,
            created_at=row.created_at,
            given_by=member(context, row.author_id, members),
            relationship_key=row.relationship_id,
        )


async def _mentor(context: Context, mentor_id: int) -> Mentor:
    row = await context.loaders.mentor.load(mentor_id)
    assert row is not None, "foreign keys keep a relationship's mentor"
    return Mentor.from_row(row, await user_of(context, row.user_id))


async def _mentee(context: Context, mentee_id: int) -> Mentee:
    row = await context.loaders.mentee.load(mentee_id)
    assert row is not None, "foreign keys keep a relationship's mentee"
    return Mentee.from_row(row, await user_of(context, row.user_id))


async def _agreements(context: Context, relationship_id: int, members: Known) -> list[Agreement]:
    versions = await context.loaders.agreements.load(relationship_id)
    return [Agreement.from_row(row, context, members) for row in versions]


async def _agreement(context: Context, relationship_id: int, members: Known) -> Agreement | None:
    versions = await context.loaders.agreements.load(relationship_id)
    accepted = [row for row in versions if row.status == AgreementStatus.ACCEPTED.value]
    current = accepted[-1] if accepted else (versions[-1] if versions else None)
    return Agreement.from_row(current, context, members) if current else None


async def _action_steps(context: Context, relationship_id: int, members: Known) -> list[ActionStep]:
    steps = await context.loaders.action_steps.load(relationship_id)
    return [ActionStep.from_row(row, context, members) for row in steps]


async def _meetings(context: Context, relationship_id: int, members: Known) -> list[Meeting]:
    found = await context.loaders.meetings.load(relationship_id)
    return [Meeting.from_row(row, context, members) for row in found]


async def resolve_pending_agreement(
    root: strawberry.Parent[Relationship], info: Info
) -> Agreement | None:
    context = info.context
    versions = await context.loaders.agreements.load(root.key)
    latest = versions[-1] if versions else None
    if latest is None or latest.status != AgreementStatus.PROPOSED.value:
        return None
    return Agreement.from_row(latest, context, root.members)


async def resolve_feedback(root: strawberry.Parent[Relationship], info: Info) -> list[Feedback]:
    given = await info.context.loaders.feedback_by_relationship.load(root.key)
    return [Feedback.from_row(row, info.context, root.members) for row in given]


async def _request_message(context: Context, relationship_id: int) -> str | None:
    message = await context.loaders.request_message.load(relationship_id)
    return messaging.body_text(message, context.services.message_keys) if message else None


@strawberry.type(description="A mentee's request to a mentor and, once accepted, their mentoring.")
class Relationship(Node):
    key: strawberry.Private[int]
    # The participants by user id, when read with the relationship.
    members: strawberry.Private[Known]
    status: RelationshipStatus = strawberry.field(description="Where the relationship stands.")
    viewer_role: ViewerRole = strawberry.field(description="The viewer's side.")
    created_at: datetime = strawberry.field(description="When the mentee sent the request.")
    responded_at: datetime | None = strawberry.field(description="When the mentor answered.")
    starts_on: date | None = strawberry.field(description="From the accepted terms.")
    ends_on: date | None = strawberry.field(description="From the accepted terms.")
    ended_at: datetime | None = strawberry.field(description="When a participant ended it.")
    request_topics: list[Topic] = strawberry.field(
        description="The topics the mentee named in the request."
    )
    request_goals: str | None = strawberry.field(
        description="The goals the mentee wrote in the request, if any."
    )
    decline_reason: str | None = strawberry.field(
        description="Why the mentor declined, if they said."
    )
    end_reason: str | None = strawberry.field(
        description="Why a participant ended it early, if they said."
    )
    request_message: Later[str | None] = strawberry.field(
        graphql_type=str | None,
        description="The request's message: the first message of the conversation.",
    )
    mentor: Later[Mentor] | NameOnly = strawberry.field(
        graphql_type=Mentor, description="The mentor's profile."
    )
    mentee: Later[Mentee] | NameOnly = strawberry.field(
        graphql_type=Mentee, description="The mentee's profile."
    )
    agreement: Later[Agreement | None] = strawberry.field(
        graphql_type=Agreement | None,
        description="The current terms: the accepted version, else the latest proposal.",
    )
    agreements: Later[list[Agreement]] = strawberry.field(
        graphql_type=list[Agreement], description="Every version, oldest first."
    )
    # Resolvers, not attributes: a field few queries select costs nothing
    # unless selected (an attribute costs a `Deferred` on every relationship built).
    pending_agreement: Agreement | None = strawberry.field(
        resolver=resolve_pending_agreement,
        description="The latest proposal not yet accepted, or null: what the other side "
        "may accept.",
    )
    feedback: list[Feedback] = strawberry.field(
        resolver=resolve_feedback, description="The feedback given on it, oldest first."
    )
    messages: MessageConnection = strawberry.field(
        resolver=resolve_messages,
        description="The conversation, oldest first: `last`/`before` pages backwards "
        "(newest page by default), `first`/`after` forwards; at most 100 per page.",
    )
    unread_count: Later[int] = strawberry.field(
        graphql_type=int, description="Messages from the partner after the viewer's read marker."
    )
    last_message: Later[Message | None] = strawberry.field(
        graphql_type=Message | None,
        description="The newest message of the conversation (the request's, at first).",
    )
    action_steps: Later[list[ActionStep]] = strawberry.field(
        graphql_type=list[ActionStep],
        description="The partners' action steps, by due date (undated last), then creation.",
    )
    meetings: Later[list[Meeting]] = strawberry.field(
        graphql_type=list[Meeting],
        description="Every meeting proposed in the relationship, whatever became of it, by start.",
    )

    @classmethod
    def of(cls, seen: Participation, context: Context) -> Relationship:
        """A relationship read through the ORM: everything related loaded if selected."""
        return cls._build(seen.relationship, seen.role, context, {})

    @classmethod
    def seen(cls, item: Listed, role: Role, context: Context) -> Relationship:
        """A relationship read by `orm.listing` alone: everything related loaded if selected."""
        return cls._build(item.relationship, role, context, _participants(item))

    @classmethod
    def listed(cls, item: Listed, role: Role, context: Context, selected: Selected) -> Relationship:
        """A relationship read by `orm.listing`, with what it fetched along."""
        row = item.relationship
        members = _participants(item)
        fetched: dict[str, Any] = {}
        if selected.get("mentor", NAME_ONLY) <= NAME_ONLY:
            fetched["mentor"] = NameOnly.of(Kind.MENTOR, row.mentor_id, item.mentor_name)
        if selected.get("mentee", NAME_ONLY) <= NAME_ONLY:
            fetched["mentee"] = NameOnly.of(Kind.MENTEE, row.mentee_id, item.mentee_name)
        if "agreement" in selected:
            terms = item.agreement
            fetched["agreement"] = Agreement.from_row(terms, context, members) if terms else None
        if "lastMessage" in selected:
            last = item.last_message
            fetched["last_message"] = Message.of(last, context, members) if last else None
        if item.unread is not None:
            fetched["unread_count"] = item.unread
        return cls._build(row, role, context, members, fetched)

    @classmethod
    def _build(
        cls,
        row: StoredRelationship,
        role: Role,
        context: Context,
        members: Known,
        fetched: dict[str, Any] | None = None,
    ) -> Relationship:
        """The relationship; what `fetched` holds by field name is taken, the rest deferred."""
        key = row.id
        marker = read_marker(row, role)
        related = fetched if fetched is not None else {}
        if "request_message" not in related:
            related["request_message"] = deferred(_request_message, context, key)
        if "mentor" not in related:
            related["mentor"] = deferred(_mentor, context, row.mentor_id)
        if "mentee" not in related:
            related["mentee"] = deferred(_mentee, context, row.mentee_id)
        if "agreement" not in related:
            related["agreement"] = deferred(_agreement, context, key, members)
        if "agreements" not in related:
            related["agreements"] = deferred(_agreements, context, key, members)
        if "unread_count" not in related:
            related["unread_count"] = deferred(unread_count, context, key, marker)
        if "last_message" not in related:
            related["last_message"] = deferred(last_message, context, key, row.last_seq, members)
        related["action_steps"] = deferred(_action_steps, context, key, members)
        related["meetings"] = deferred(_meetings, context, key, members)
        return cls(
            key=key,
            members=members,
            id=strawberry.ID(global_id(Kind.RELATIONSHIP, key)),
            status=relationship_status(row.status),
            viewer_role=role,
            created_at=row.created_at,
            responded_at=row.responded_at,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            ended_at=row.ended_at,
            request_topics=[topic(value) for value in row.request_topics],
            request_goals=row.request_goals,
            decline_reason=row.decline_reason,
            end_reason=row.end_reason,
            **related,
        )


async def relationship_seen(context: Context, key: int) -> Relationship:
    """A relationship the viewer takes part in, by key: where terms, feedback and messages lead."""
    viewer = await context.viewer()
    item, role = await nodes.seen_relationship(
        context.loaders, viewer, key, now=context.now(), outbox=context.outbox
    )
    return Relationship.seen(item, role, context)
