"""The ceiling of GraphQL execution: a minimal Strawberry app answering from memory.

The same root fields, types and selections as the real schema offers the
benchmark's operations, with plain attributes (no resolvers below the root,
no permissions, no database), Strawberry's own ASGI view, and its parser and
validation caches. The data are the real app's answers (from the file named
by `BENCH_ANSWERS`), turned back into objects once at start, so both apps
serialise the same values.

    BENCH_ANSWERS=answers.json uvicorn bench.floor_strawberry:app
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from typing import Any, TypeVar

import strawberry
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache

from bench.floor_starlette import load_answers
from orm.suggestions import Criterion
from orm.vocabulary import (
    AgreementStatus,
    Cadence,
    Channel,
    ContactKind,
    MeetingStatus,
    RelationshipStatus,
    Topic,
    ViewerRole,
)
from schema.scalars import SCALARS

for _enum in (
    Topic,
    Channel,
    ContactKind,
    Cadence,
    RelationshipStatus,
    AgreementStatus,
    MeetingStatus,
):
    strawberry.enum(_enum)
strawberry.enum(ViewerRole)
strawberry.enum(Criterion, name="MatchCriterion")

T = TypeVar("T")

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


@strawberry.type
class Member:
    id: strawberry.ID
    display_name: str | None = None


@strawberry.type
class ContactLink:
    kind: ContactKind
    value: str


@strawberry.type
class Mentor:
    id: strawberry.ID
    display_name: str
    headline: str | None = None
    bio: str | None = None
    country: str | None = None
    city: str | None = None
    timezone: str | None = None
    languages: list[str] | None = None
    industry: str | None = None
    field_of_study: str | None = None
    years_of_experience: int | None = None
    topics: list[Topic] | None = None
    capacity: int | None = None
    accepting_mentees: bool | None = None
    channels: list[Channel] | None = None
    contact_links: list[ContactLink] | None = None
    member: Member | None = None


@strawberry.type
class Mentee:
    id: strawberry.ID
    display_name: str


@strawberry.type
class Agreement:
    version: int
    status: AgreementStatus
    goals: list[str]
    topics: list[Topic]
    cadence: Cadence
    channels: list[Channel]
    starts_on: date
    ends_on: date
    id: strawberry.ID | None = None


@strawberry.type
class Message:
    id: strawberry.ID
    body: str
    sent_at: datetime
    sender: Member
    cursor: str | None = None


@strawberry.type
class PageInfo:
    has_next_page: bool | None = None
    has_previous_page: bool | None = None
    start_cursor: str | None = None
    end_cursor: str | None = None


@strawberry.type
class MessageEdge:
    cursor: str
    node: Message


@strawberry.type
class MessageConnection:
    page_info: PageInfo
    edges: list[MessageEdge]


@strawberry.type
class ActionStep:
    id: strawberry.ID
    title: str
    notes: str | None
    due_on: date | None
    done_at: datetime | None
    owner: Member
    created_by: Member


@strawberry.type
class Meeting:
    id: strawberry.ID
    starts_at: datetime
    duration_minutes: int
    channel: Channel
    location: str | None
    status: MeetingStatus
    agenda: str | None
    proposed_by: Member


@strawberry.type
class Relationship:
    id: strawberry.ID
    status: RelationshipStatus
    viewer_role: ViewerRole | None = None
    created_at: datetime | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    unread_count: int | None = None
    mentor: Mentor | None = None
    mentee: Mentee | None = None
    agreement: Agreement | None = None
    last_message: Message | None = None
    action_steps: list[ActionStep] | None = None
    meetings: list[Meeting] | None = None
    conversation: strawberry.Private[MessageConnection | None] = None

    @strawberry.field
    def messages(self, last: int | None = None, before: str | None = None) -> MessageConnection:
        assert self.conversation is not None
        return self.conversation


@strawberry.type
class MentorEdge:
    cursor: str
    node: Mentor


@strawberry.type
class MentorConnection:
    total_count: int
    page_info: PageInfo
    edges: list[MentorEdge]


@strawberry.type
class Reason:
    criterion: Criterion
    points: int
    detail: str


@strawberry.type
class MentorSuggestion:
    score: int
    reasons: list[Reason]
    mentor: Mentor


@strawberry.input
class MentorFilter:
    text: str | None = None
    topics: list[Topic] | None = None
    languages: list[str] | None = None


# ---------------------------------------------------------------- from the answers

# JSON key -> how to turn its value back into what the real resolvers return.
_SCALARS: dict[str, Any] = {
    "createdAt": datetime.fromisoformat,
    "sentAt": datetime.fromisoformat,
    "doneAt": datetime.fromisoformat,
    "startsAt": datetime.fromisoformat,
    "dueOn": date.fromisoformat,
    "startsOn": date.fromisoformat,
    "endsOn": date.fromisoformat,
}
_ENUMS: dict[str, Any] = {
    "status": None,  # per type, below
    "viewerRole": ViewerRole,
    "cadence": Cadence,
    "criterion": Criterion,
    "kind": ContactKind,
    "channel": Channel,
}
_ENUM_LISTS: dict[str, Any] = {"topics": Topic, "channels": Channel}
_NESTED: dict[str, Any] = {
    "mentor": Mentor,
    "mentee": Mentee,
    "agreement": Agreement,
    "lastMessage": Message,
    "sender": Member,
    "member": Member,
    "owner": Member,
    "createdBy": Member,
    "proposedBy": Member,
    "node": None,  # per type, below
    "pageInfo": PageInfo,
}
_NESTED_LISTS: dict[str, Any] = {
    "contactLinks": ContactLink,
    "reasons": Reason,
    "actionSteps": ActionStep,
    "meetings": Meeting,
    "edges": None,  # per type, below
}
_PER_TYPE: dict[tuple[type, str], Any] = {
    (Relationship, "status"): RelationshipStatus,
    (Agreement, "status"): AgreementStatus,
    (Meeting, "status"): MeetingStatus,
    (MessageEdge, "node"): Message,
    (MentorEdge, "node"): Mentor,
    (MessageConnection, "edges"): MessageEdge,
    (MentorConnection, "edges"): MentorEdge,
}


def build(cls: type[T], data: dict[str, Any]) -> T:
    """An instance of `cls` from its answer in JSON (camelCase keys)."""
    values: dict[str, Any] = {}
    for key, value in data.items():
        kind = _PER_TYPE.get((cls, key))
        if value is None:
            converted = None
        elif key in _SCALARS:
            converted = _SCALARS[key](value)
        elif key in _ENUMS:
            converted = (kind or _ENUMS[key])(value)
        elif key in _ENUM_LISTS:
            converted = [_ENUM_LISTS[key](item) for item in value]
        elif key in _NESTED:
            converted = build(kind or _NESTED[key], value)
        elif key in _NESTED_LISTS:
            converted = [build(kind or _NESTED_LISTS[key], item) for item in value]
        elif key == "messages":
            key, converted = "conversation", build(MessageConnection, value)
        else:
            converted = value
        values[snake(key)] = converted
    return cls(**values)


def _roots() -> dict[str, Any]:
    """Root field name -> its answer, from every answer in the file."""
    found: dict[str, Any] = {}
    for answer in load_answers().values():
        for field, value in (answer.get("data") or {}).items():
            if isinstance(value, dict) and isinstance(found.get(field), dict):
                # One relationship answers both Conversation and Workspace: its fields join.
                found[field] = {**found[field], **value}
            else:
                found[field] = value
    return found


ROOTS = _roots() if "BENCH_ANSWERS" in os.environ else {}
MY_RELATIONSHIPS = [build(Relationship, item) for item in ROOTS.get("myRelationships", [])]
RELATIONSHIP = build(Relationship, ROOTS["relationship"]) if "relationship" in ROOTS else None
MENTOR = build(Mentor, ROOTS["mentor"]) if "mentor" in ROOTS else None
SEARCH = build(MentorConnection, ROOTS["searchMentors"]) if "searchMentors" in ROOTS else None
SUGGESTIONS = [build(MentorSuggestion, item) for item in ROOTS.get("mentorSuggestions", [])]


@strawberry.type
class Query:
    @strawberry.field
    def my_relationships(
        self, status: list[RelationshipStatus] | None = None
    ) -> list[Relationship]:
        return MY_RELATIONSHIPS

    @strawberry.field
    def relationship(self, id: strawberry.ID) -> Relationship:
        assert RELATIONSHIP is not None
        return RELATIONSHIP

    @strawberry.field
    def mentor(self, id: strawberry.ID) -> Mentor:
        assert MENTOR is not None
        return MENTOR

    @strawberry.field
    def search_mentors(
        self, filter: MentorFilter | None = None, first: int | None = None, after: str | None = None
    ) -> MentorConnection:
        assert SEARCH is not None
        return SEARCH

    @strawberry.field
    def mentor_suggestions(self, first: int | None = None) -> list[MentorSuggestion]:
        return SUGGESTIONS

    @strawberry.field
    def healthz(self) -> str:
        return "ok"


# The service's own scalars, so that both answer the same text (DateTime as its
# specification asks) at the same cost.
schema = strawberry.Schema(
    query=Query, extensions=[ParserCache, ValidationCache], scalar_overrides=SCALARS
)
graphql_app: GraphQL[None, None] = GraphQL(schema, graphql_ide=None)


async def app(scope: Any, receive: Any, send: Any) -> None:
    # /healthz for the benchmark's start-up probe; everything else is GraphQL.
    if scope["type"] == "http" and scope["path"] == "/healthz":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        return
    await graphql_app(scope, receive, send)
