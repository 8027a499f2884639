"""Profiles in GraphQL: Mentor, Mentee, completeness, and their mutations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

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
from schema.responsiveness import Responsiveness, resolve_responsiveness


@strawberry.type(
    description="How far a profile is from complete, and what it lacks: a value without "
    "identity of its own (no id), part of its profile."
)
class Completeness:
    percent: int = strawberry.field(description="0 to 100.")
    is_complete: bool = strawberry.field(
        description="Every requirement met: a complete mentor can be found, suggested and "
        "requested; a complete mentee gets suggestions and may request mentoring."
    )
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


# What every optional text of a profile input does with an empty value.
CLEARS = " Null or blank clears it."
CHANGES = "The fields to change: those left out stay as they are."

CONTACT_LINKS_VISIBILITY = (
    "Visible to the profile's owner and, while their relationship is ACCEPTED, ACTIVE or "
    "COMPLETED, to their mentoring partner; empty for everyone else."
)


@strawberry.type(
    description="A way to reach a profile's owner: a value without identity of its own (no id), "
    "part of its profile."
)
class ContactLink:
    kind: ContactKind = strawberry.field(description="What kind of contact this is.")
    value: str = strawberry.field(
        description="The address, number, account name or link, checked for its kind."
    )


async def resolve_contact_links(root: strawberry.Parent[Any], info: Info) -> list[ContactLink]:
    profile: MentorProfile | MenteeProfile = root.row
    viewer = await info.context.viewer()
    partner_sees = info.context.loaders.contact_links_visible.load
    seen = await contact_links.seen_by(viewer.id if viewer else None, profile, partner_sees)
    return [ContactLink(kind=link.kind, value=link.value) for link in seen]


def resolve_mentor_completeness(root: strawberry.Parent[Mentor]) -> Completeness:
    return Completeness.of(completeness.of_mentor(root.row))


async def resolve_mentor_responsiveness(
    root: strawberry.Parent[Mentor], info: Info
) -> Responsiveness:
    return await resolve_responsiveness(root.row.id, info)


def resolve_mentee_completeness(root: strawberry.Parent[Mentee]) -> Completeness:
    return Completeness.of(completeness.of_mentee(root.row))


def resolve_member(root: strawberry.Parent[Any]) -> Member:
    # A resolver, not an attribute: most reads of profiles (search, lists) never ask.
    profile: MentorProfile | MenteeProfile = root.row
    return Member.named(profile.user_id, root.display_name)


@strawberry.interface(description="What mentor and mentee profiles share.")
class Profile(Node):
    display_name: str = strawberry.field(description="The member's name.")
    headline: str | None = strawberry.field(description="One line about the member.")
    bio: str | None = strawberry.field(description="About the member, in their words.")
    country: str | None = strawberry.field(description="ISO 3166-1 alpha-2.")
    city: str | None = strawberry.field(description="Where the member lives.")
    timezone: str | None = strawberry.field(description="IANA name, e.g. Europe/Berlin.")
    languages: list[str] = strawberry.field(description="ISO 639-1 codes.")
    industry: str | None = strawberry.field(description="The industry the member works in.")
    field_of_study: str | None = strawberry.field(description="What the member studied.")
    years_of_experience: int | None = strawberry.field(
        description="Years of professional experience."
    )
    topics: list[Topic] = strawberry.field(
        description="A mentor's topics offered, a mentee's topics wanted."
    )
    channels: list[Channel] = strawberry.field(description="How the member likes to meet.")
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

    responsiveness: Responsiveness = strawberry.field(
        resolver=resolve_mentor_responsiveness,
        description="How the mentor has answered requests: how many, the share in time, "
        "the median hours to an answer.",
    )
    completeness: Completeness = strawberry.field(
        resolver=resolve_mentor_completeness,
        description="What the profile lacks before it is found, suggested and requested "
        "(until then only its owner sees it).",
    )


@strawberry.type(description="A mentee's profile.")
class Mentee(Profile):
    row: strawberry.Private[MenteeProfile]
    situation: Situation | None = strawberry.field(
        description="The transition the mentee is going through."
    )
    target_country: str | None = strawberry.field(
        description="ISO 3166-1 alpha-2: where a mentee in RELOCATION is moving to."
    )
    goals: str | None = strawberry.field(description="What the mentee wants to reach.")

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
    completeness: Completeness = strawberry.field(
        resolver=resolve_mentee_completeness,
        description="What the profile lacks before suggestions and requests "
        "(they answer PROFILE_INCOMPLETE until then).",
    )


@strawberry.input(description="A contact link to save; its value is checked for its kind.")
class ContactLinkInput:
    kind: ContactKind = strawberry.field(description="Decides what the value must be.")
    value: str = strawberry.field(description="An address, number, handle or link.")

    def to_value(self) -> ContactLinkValue:
        return ContactLinkValue(kind=self.kind, value=self.value)


@strawberry.input(description="Shared fields; every one optional: only sent fields change.")
class ProfileInput:
    headline: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"Up to 120 characters, one line.{CLEARS}"
    )
    bio: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"Up to 4,000 characters.{CLEARS}"
    )
    country: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"ISO 3166-1 alpha-2, in any case.{CLEARS}"
    )
    city: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"Up to 100 characters.{CLEARS}"
    )
    timezone: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"An IANA name, e.g. Europe/Berlin.{CLEARS}"
    )
    languages: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Up to 10 ISO 639-1 codes, in any case; repeats dropped; null clears it.",
    )
    industry: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"Up to 100 characters; search and scoring compare whole values.{CLEARS}",
    )
    field_of_study: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"Up to 100 characters; search and scoring compare whole values.{CLEARS}",
    )
    years_of_experience: int | None = strawberry.field(
        default=strawberry.UNSET, description="0 to 70; null clears it."
    )
    topics: list[Topic] | None = strawberry.field(
        default=strawberry.UNSET,
        description="A mentor's topics offered, a mentee's wanted; repeats dropped; "
        "null clears them.",
    )
    channels: list[Channel] | None = strawberry.field(
        default=strawberry.UNSET, description="Repeats dropped; null clears them."
    )
    contact_links: list[ContactLinkInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Replaces every link: up to 10, each up to 300 characters and checked "
        "for its kind; repeats dropped; null or an empty list removes them all.",
    )


@strawberry.input(description="A partial update of the viewer's mentor profile.")
class MentorProfileInput(ProfileInput):
    capacity: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="How many mentees at once (accepted and active), 1 to 20; null clears it.",
    )
    accepting_mentees: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="The mentor's own switch for new requests and suggestions; null means on.",
    )


@strawberry.input(description="A partial update of the viewer's mentee profile.")
class MenteeProfileInput(ProfileInput):
    situation: Situation | None = strawberry.field(
        default=strawberry.UNSET, description="null clears it."
    )
    target_country: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"ISO 3166-1 alpha-2: where a mentee in RELOCATION is moving to.{CLEARS}",
    )
    goals: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"Up to 2,000 characters.{CLEARS}"
    )


def _changes(input: ProfileInput) -> dict[str, Any]:
    changes = sent_fields(input)
    if changes.get("contactLinks"):
        changes["contactLinks"] = [link.to_value() for link in changes["contactLinks"]]
    return changes


async def resolve_save_mentor_profile(
    info: Info, input: Annotated[MentorProfileInput, strawberry.argument(description=CHANGES)]
) -> Mentor:
    user = await info.context.require_viewer()
    row = await profiles.save_mentor_profile(user, _changes(input))
    return Mentor.from_row(row, user)


async def resolve_save_mentee_profile(
    info: Info, input: Annotated[MenteeProfileInput, strawberry.argument(description=CHANGES)]
) -> Mentee:
    user = await info.context.require_viewer()
    row = await profiles.save_mentee_profile(user, _changes(input))
    return Mentee.from_row(row, user)


async def resolve_mentor(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The mentor profile's id.")],
) -> Mentor:
    viewer = await info.context.viewer()
    found = await profiles.mentor(id, viewer.id if viewer else None)
    return Mentor.from_row(found.profile, found.user)


@strawberry.type
class ProfileQueries:
    mentor: Mentor = strawberry.field(
        resolver=resolve_mentor,
        description="A mentor by id: NOT_FOUND for an incomplete profile, except to its owner.",
    )


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
