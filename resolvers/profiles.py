"""Mentor and mentee profiles: validated partial updates and completeness.

A save receives only the fields the client sent (a partial update); each is
validated and normalised before anything is written, so a bad value changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tortoise.exceptions import IntegrityError

from orm import profiles as profile_rows
from orm.models import MenteeProfile, MentorProfile, User

# For the schema's Mentor.acceptingMentees: the rule is one, in orm.rules.
from orm.rules.accepting import accepts_mentees as accepts_mentees
from orm.search import FoundMentor, mentors_by_id
from resolvers import completeness, contact_links, validation
from resolvers.catalogue import _
from resolvers.errors import Conflict, NotFound
from resolvers.ids import parse_id

MAX_HEADLINE = 120
MAX_BIO = 4000
MAX_NAME = 100
MAX_GOALS = 2000
MAX_YEARS = 70
MAX_CAPACITY = 20


def _values(items: Sequence[Any] | None) -> list[str]:
    return [item.value for item in validation.unique(items or ())]


# input field name -> (model attribute, validator turning the input into the stored value)
Validator = Callable[[str, Any], Any]
_SHARED_FIELDS: dict[str, tuple[str, Validator]] = {
    "headline": ("headline", lambda f, v: validation.text(f, v, max_length=MAX_HEADLINE)),
    "bio": ("bio", lambda f, v: validation.text(f, v, max_length=MAX_BIO, multiline=True)),
    "country": ("country", validation.country),
    "city": ("city", lambda f, v: validation.text(f, v, max_length=MAX_NAME)),
    "timezone": ("timezone", validation.timezone),
    "languages": ("languages", validation.languages),
    "industry": ("industry", lambda f, v: validation.text(f, v, max_length=MAX_NAME)),
    "fieldOfStudy": ("field_of_study", lambda f, v: validation.text(f, v, max_length=MAX_NAME)),
    "yearsOfExperience": (
        "years_of_experience",
        lambda f, v: validation.integer(f, v, minimum=0, maximum=MAX_YEARS),
    ),
    "topics": ("topics", lambda f, v: _values(v)),
    "channels": ("channels", lambda f, v: _values(v)),
    "contactLinks": ("contact_links", contact_links.checked),
}

MENTOR_FIELDS: dict[str, tuple[str, Validator]] = {
    **_SHARED_FIELDS,
    "capacity": (
        "capacity",
        lambda f, v: validation.integer(f, v, minimum=1, maximum=MAX_CAPACITY),
    ),
    "acceptingMentees": ("accepting_mentees", lambda f, v: True if v is None else bool(v)),
}

MENTEE_FIELDS: dict[str, tuple[str, Validator]] = {
    **_SHARED_FIELDS,
    "situation": ("situation", lambda f, v: None if v is None else v.value),
    "targetCountry": ("target_country", validation.country),
    "goals": ("goals", lambda f, v: validation.text(f, v, max_length=MAX_GOALS, multiline=True)),
}


def validate_changes(
    changes: Mapping[str, Any], fields: Mapping[str, tuple[str, Validator]]
) -> dict[str, Any]:
    """Map sent input fields to normalised model values; BadUserInput names every bad one."""
    result: dict[str, Any] = {}
    collected = validation.Collected()
    for input_name, value in changes.items():
        attribute, check = fields[input_name]
        with collected:
            result[attribute] = check(input_name, value)
    collected.raise_any()
    return result


async def save_mentor_profile(user: User, changes: Mapping[str, Any]) -> MentorProfile:
    values = validate_changes(changes, MENTOR_FIELDS)

    def change(profile: MentorProfile) -> None:
        profile.update_from_dict(values)
        profile.is_complete = completeness.of_mentor(profile).is_complete

    try:
        return await profile_rows.update_mentor(user, change)
    except IntegrityError:
        raise Conflict(_("The profile was created by another request at the same time.")) from None


async def save_mentee_profile(user: User, changes: Mapping[str, Any]) -> MenteeProfile:
    values = validate_changes(changes, MENTEE_FIELDS)

    def change(profile: MenteeProfile) -> None:
        profile.update_from_dict(values)
        profile.is_complete = completeness.of_mentee(profile).is_complete

    try:
        return await profile_rows.update_mentee(user, change)
    except IntegrityError:
        raise Conflict(_("The profile was created by another request at the same time.")) from None


def visible_to(profile: MentorProfile, viewer_id: int | None) -> bool:
    """A complete mentor profile is public; one that is not, its owner's alone.

    Ids enumerate: every read of a mentor by id asks this, and answers
    NOT_FOUND where it is False, as for an id that does not exist.
    """
    return bool(profile.is_complete) or profile.user_id == viewer_id


async def mentor(mentor_id: str, viewer_id: int | None) -> FoundMentor:
    """A mentor's profile and name, as a profile page reads them."""
    key = parse_id(mentor_id, what="mentor")
    # A mentor blocked either way is not found, as one that does not exist.
    found = (await mentors_by_id([key], hidden_from=viewer_id)).get(key)
    if found is None or not visible_to(found.profile, viewer_id):
        raise NotFound("mentor")
    return found
