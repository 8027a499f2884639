"""Relationships in GraphQL: Relationship, Agreement, Member, Feedback.

Every nested field reads through the request's DataLoaders, so a list of
relationships costs one query per kind of thing it shows, not one per row.
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from orm.messages import body_of
from orm.models import Agreement as AgreementRow
from orm.models import Feedback as FeedbackRow
from orm.models import Relationship as RelationshipRow
from resolvers.lifecycle import Participation
from resolvers.messaging import read_marker
from schema.context import Info
from schema.enums import AgreementStatus, Cadence, Channel, RelationshipStatus, Topic, ViewerRole
from schema.members import Member, load_user
from schema.messages import (
    Message,
    MessageConnection,
    resolve_last_message,
    resolve_messages,
    resolve_unread_count,
)
from schema.profiles import Mentee, Mentor


async def resolve_proposed_by(root: strawberry.Parent[Agreement], info: Info) -> Member:
    return Member.from_row(await load_user(info, root.row.proposed_by_id))


@strawberry.type(description="One version of a relationship's terms.")
class Agreement:
    row: strawberry.Private[AgreementRow]
    version: int = strawberry.field(description="1, 2, ...: each proposal adds one.")
    status: AgreementStatus
    goals: list[str]
    topics: list[Topic]
    expectations: str | None
    cadence: Cadence
    channels: list[Channel]
    starts_on: date
    ends_on: date = strawberry.field(description="The last day of the mentoring.")
    created_at: datetime
    accepted_at: datetime | None
    proposed_by: Member = strawberry.field(resolver=resolve_proposed_by)

    @classmethod
    def from_row(cls, row: AgreementRow) -> Agreement:
        return cls(
            row=row,
            version=row.version,
            status=AgreementStatus(row.status),
            goals=list(row.goals),
            topics=[Topic(value) for value in row.topics],
            expectations=row.expectations,
            cadence=Cadence(row.cadence),
            channels=[Channel(value) for value in row.channels],
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            created_at=row.created_at,
            accepted_at=row.accepted_at,
        )


@strawberry.type(description="What one participant said about a finished relationship.")
class Feedback:
    rating: int = strawberry.field(description="1 to 5.")
    comment: str | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: FeedbackRow) -> Feedback:
        return cls(rating=row.rating, comment=row.comment, created_at=row.created_at)


async def resolve_mentor(root: strawberry.Parent[Relationship], info: Info) -> Mentor:
    row = await info.context.loaders.mentor.load(root.row.mentor_id)
    assert row is not None, "foreign keys keep a relationship's mentor"
    return Mentor.from_row(row, await load_user(info, row.user_id))


async def resolve_mentee(root: strawberry.Parent[Relationship], info: Info) -> Mentee:
    row = await info.context.loaders.mentee.load(root.row.mentee_id)
    assert row is not None, "foreign keys keep a relationship's mentee"
    return Mentee.from_row(row, await load_user(info, row.user_id))


async def resolve_agreements(root: strawberry.Parent[Relationship], info: Info) -> list[Agreement]:
    versions = await info.context.loaders.agreements.load(root.row.id)
    return [Agreement.from_row(row) for row in versions]


async def resolve_agreement(root: strawberry.Parent[Relationship], info: Info) -> Agreement | None:
    versions = await info.context.loaders.agreements.load(root.row.id)
    accepted = [row for row in versions if row.status == AgreementStatus.ACCEPTED.value]
    current = accepted[-1] if accepted else (versions[-1] if versions else None)
    return Agreement.from_row(current) if current else None


async def resolve_request_message(root: strawberry.Parent[Relationship], info: Info) -> str | None:
    message = await info.context.loaders.request_message.load(root.row.id)
    return body_of(message, info.context.services.keyring) if message else None


@strawberry.type(description="A mentee's request to a mentor and, once accepted, their mentoring.")
class Relationship:
    row: strawberry.Private[RelationshipRow]
    id: strawberry.ID
    status: RelationshipStatus
    viewer_role: ViewerRole = strawberry.field(description="The viewer's side.")
    created_at: datetime = strawberry.field(description="When the mentee sent the request.")
    responded_at: datetime | None = strawberry.field(description="When the mentor answered.")
    starts_on: date | None = strawberry.field(description="From the accepted terms.")
    ends_on: date | None = strawberry.field(description="From the accepted terms.")
    ended_at: datetime | None = strawberry.field(description="When a participant ended it.")
    request_topics: list[Topic]
    request_goals: str | None
    decline_reason: str | None
    end_reason: str | None
    request_message: str | None = strawberry.field(
        resolver=resolve_request_message,
        description="The request's message: the first message of the conversation.",
    )
    mentor: Mentor = strawberry.field(resolver=resolve_mentor)
    mentee: Mentee = strawberry.field(resolver=resolve_mentee)
    agreement: Agreement | None = strawberry.field(
        resolver=resolve_agreement,
        description="The current terms: the accepted version, else the latest proposal.",
    )
    agreements: list[Agreement] = strawberry.field(
        resolver=resolve_agreements, description="Every version, oldest first."
    )
    read_marker: strawberry.Private[int]
    messages: MessageConnection = strawberry.field(
        resolver=resolve_messages,
        description="The conversation, oldest first: `last`/`before` pages backwards "
        "(newest page by default), `first`/`after` forwards; at most 100 per page.",
    )
    unread_count: int = strawberry.field(
        resolver=resolve_unread_count,
        description="Messages from the partner after the viewer's read marker.",
    )
    last_message: Message | None = strawberry.field(resolver=resolve_last_message)

    @classmethod
    def of(cls, seen: Participation) -> Relationship:
        row = seen.relationship
        return cls(
            row=row,
            id=strawberry.ID(str(row.id)),
            status=RelationshipStatus(row.status),
            viewer_role=seen.role,
            created_at=row.created_at,
            responded_at=row.responded_at,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            ended_at=row.ended_at,
            request_topics=[Topic(value) for value in row.request_topics],
            request_goals=row.request_goals,
            decline_reason=row.decline_reason,
            end_reason=row.end_reason,
            read_marker=read_marker(seen),
        )
