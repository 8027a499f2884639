"""Profiles in GraphQL: Mentor, Mentee, completeness, and their mutations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry

from orm.models import MenteeProfile, MentorProfile
from orm.models import User as UserRow
from orm.records import UserName
from resolvers import completeness, contact_links, profiles
from resolvers.contact_links import ContactLink as ContactLinkValue
from resolvers.ids import Kind, global_id
from schema.core.context import Info
from schema.enums import Channel, ContactKind, Situation, Topic
from schema.identity import Node
from schema.inputs import sent_fields
from schema.members import Member
from schema.permissions import IsAuthenticated


@strawberry.type(
    description="How far a profile is from complete, and what it lacks: a value without "
    "identity of its own (no id), part of its profile."
)
class Completeness:
    percent: int = strawberry.field(description="0 to 100.")
    is_complete: bool
    missing_fields: list[str] = strawberry.field(
        description="Input field names still to fill in (both names where either will do)."
    )

    @classmethod
    def of(cls, result: completeness.Completeness) -> Completeness:
        return cls(
            percent=result.percent,
            is_complete=result.is_complete,
            missing_fields=result.missing_fields,
        )


CONTACT_LINKS_VISIBILITY = (
    "Visible to the profile's owner and, while their relationship is ACCEPTED, ACTIVE or "
    "COMPLETED, to their mentoring partner; empty for everyone else."
)


@strawberry.type(
    description="A way to reach a profile's owner: a value without identity of its own (no id), "
    "part of its profile."
)
class ContactLink:
    kind: ContactKind
    value: str


async def resolve_contact_links(root: strawberry.Parent[Any], info: Info) -> list[ContactLink]:
    profile: MentorProfile | MenteeProfile = root.row
    viewer = await info.context.viewer()
    partner_sees = info.context.loaders.contact_links_visible.load
    seen = await contact_links.seen_by(viewer.id if viewer else None, profile, partner_sees)
    return [ContactLink(kind=link.kind, value=link.value) for link in seen]


def resolve_mentor_completeness(root: strawberry.Parent[Mentor]) -> Completeness:
    return Completeness.of(completeness.of_mentor(root.row))


def resolve_mentee_completeness(root: strawberry.Parent[Mentee]) -> Completeness:
    return Completeness.of(completeness.of_mentee(root.row))


def resolve_member(root: strawberry.Parent[Any]) -> Member:
    # A resolver, not an attribute: most reads of profiles (search, lists) never ask.
    profile: MentorProfile | MenteeProfile = root.row
    return Member.named(profile.user_id, root.display_name)


@strawberry.interface(description="What mentor and mentee profiles share.")
class Profile(Node):
    display_name: str
    headline: str | None
    bio: str | None
    country: str | None = strawberry.field(description="ISO 3166-1 alpha-2.")
    city: str | None
    timezone: str | None = strawberry.field(description="IANA name, e.g. Europe/Berlin.")
    languages: list[str] = strawberry.field(description="ISO 639-1 codes.")
    industry: str | None
    field_of_study: str | None
    years_of_experience: int | None
    topics: list[Topic]
    channels: list[Channel]
    member: Member = strawberry.field(
        resolver=resolve_member, description="The person whose profile this is."
    )


def _shared(
    kind: Kind, row: MentorProfile | MenteeProfile, user: UserRow | UserName
) -> dict[str, Any]:
    return {
        "id": strawberry.ID(global_id(kind, row.id)),
        "display_name": user.display_name,
        "headline": row.headline,
        "bio": row.bio,
        "country": row.country,
        "city": row.city,
        "timezone": row.timezone,
        "languages": list(row.languages),
        "industry": row.industry,
        "field_of_study": row.field_of_study,
        "years_of_experience": row.years_of_experience,
        "topics": [Topic(value) for value in row.topics],
        "channels": [Channel(value) for value in row.channels],
    }


# For a selection of `id` and `displayName` alone (see `schema.core.selection`):
# what a list of relationships shows of each partner, without loading the
# profile.
NAME_ONLY = frozenset({"id", "displayName", "__typename"})


@dataclass(frozen=True, slots=True)
class NameOnly:
    """A partner's profile as a selection within `NAME_ONLY` sees it: its id and name.

    Served as a `Mentor` or `Mentee` (each type's `is_type_of` accepts it)
    and holding nothing else, so that a wider selection fails loudly instead
    of showing empty values for fields that were never read.
    """

    id: strawberry.ID
    display_name: str

    @classmethod
    def of(cls, kind: Kind, profile_id: int, display_name: str) -> NameOnly:
        return cls(id=strawberry.ID(global_id(kind, profile_id)), display_name=display_name)


@strawberry.type(description="A mentor's profile.")
class Mentor(Profile):
    row: strawberry.Private[MentorProfile]
    capacity: int | None = strawberry.field(description="How many mentees at once, 1 to 20.")
    accepting_mentees: bool = strawberry.field(
        description="The mentor's own switch is on and a place is free."
    )

    @classmethod
    def from_row(cls, row: MentorProfile, user: UserRow | UserName) -> Mentor:
        return cls(
            row=row,
            capacity=row.capacity,
            accepting_mentees=profiles.accepts_mentees(row),
            **_shared(Kind.MENTOR, row, user),
        )

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, cls | NameOnly)

    contact_links: list[ContactLink] = strawberry.field(
        resolver=resolve_contact_links, description=CONTACT_LINKS_VISIBILITY
    )
    completeness: Completeness = strawberry.field(resolver=resolve_mentor_completeness)


@strawberry.type(description="A mentee's profile.")
class Mentee(Profile):
    row: strawberry.Private[MenteeProfile]
    situation: Situation | None
    target_country: str | None = strawberry.field(
        description="ISO 3166-1 alpha-2: where a mentee in RELOCATION is moving to."
    )
    goals: str | None

    @classmethod
    def from_row(cls, row: MenteeProfile, user: UserRow) -> Mentee:
        return cls(
            row=row,
            situation=Situation(row.situation) if row.situation else None,
            target_country=row.target_country,
            goals=row.goals,
            **_shared(Kind.MENTEE, row, user),
        )

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, cls | NameOnly)

    contact_links: list[ContactLink] = strawberry.field(
        resolver=resolve_contact_links, description=CONTACT_LINKS_VISIBILITY
    )
    completeness: Completeness = strawberry.field(resolver=resolve_mentee_completeness)


@strawberry.input
class ContactLinkInput:
    kind: ContactKind
    value: str = strawberry.field(description="An address, number, handle or link.")

    def to_value(self) -> ContactLinkValue:
        return ContactLinkValue(kind=self.kind, value=self.value)


@strawberry.input(description="Shared fields; every one optional: only sent fields change.")
class ProfileInput:
    headline: str | None = strawberry.UNSET
    bio: str | None = strawberry.UNSET
    country: str | None = strawberry.UNSET
    city: str | None = strawberry.UNSET
    timezone: str | None = strawberry.UNSET
    languages: list[str] | None = strawberry.UNSET
    industry: str | None = strawberry.UNSET
    field_of_study: str | None = strawberry.UNSET
    years_of_experience: int | None = strawberry.UNSET
    topics: list[Topic] | None = strawberry.UNSET
    channels: list[Channel] | None = strawberry.UNSET
    contact_links: list[ContactLinkInput] | None = strawberry.UNSET


@strawberry.input(description="A partial update of the viewer's mentor profile.")
class MentorProfileInput(ProfileInput):
    capacity: int | None = strawberry.UNSET
    accepting_mentees: bool | None = strawberry.UNSET


@strawberry.input(description="A partial update of the viewer's mentee profile.")
class MenteeProfileInput(ProfileInput):
    situation: Situation | None = strawberry.UNSET
    target_country: str | None = strawberry.UNSET
    goals: str | None = strawberry.UNSET


def _changes(input: ProfileInput) -> dict[str, Any]:
    changes = sent_fields(input)
    if changes.get("contactLinks"):
        changes["contactLinks"] = [link.to_value() for link in changes["contactLinks"]]
    return changes


async def resolve_save_mentor_profile(info: Info, input: MentorProfileInput) -> Mentor:
    user = await info.context.require_viewer()
    row = await profiles.save_mentor_profile(user, _changes(input))
    return Mentor.from_row(row, user)


async def resolve_save_mentee_profile(info: Info, input: MenteeProfileInput) -> Mentee:
    user = await info.context.require_viewer()
    row = await profiles.save_mentee_profile(user, _changes(input))
    return Mentee.from_row(row, user)


async def resolve_mentor(info: Info, id: strawberry.ID) -> Mentor:
    viewer = await info.context.viewer()
    found = await profiles.mentor(id, viewer.id if viewer else None)
    return Mentor.from_row(found.profile, found.user)


@strawberry.type
class ProfileQueries:
    mentor: Mentor = strawberry.field(resolver=resolve_mentor, description="A mentor by id.")


@strawberry.type
class ProfileMutations:
    save_mentor_profile: Mentor = strawberry.mutation(
        resolver=resolve_save_mentor_profile,
        permission_classes=[IsAuthenticated],
        description="Create or partially update the viewer's mentor profile.",
    )
    save_mentee_profile: Mentee = strawberry.mutation(
        resolver=resolve_save_mentee_profile,
        permission_classes=[IsAuthenticated],
        description="Create or partially update the viewer's mentee profile.",
    )
