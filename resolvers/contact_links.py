"""Contact links: what each kind accepts, and who sees them.

A profile's owner always sees their own links. The mentoring partner sees
them only while the pair's relationship is ACCEPTED, ACTIVE or COMPLETED
(`orm.relationships.CONTACTS_VISIBLE`), never after a decline, a withdrawal,
an expiry or an early end, which may have been an unpleasant one. Everyone
else sees none.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from orm.loading import ContactKey
from orm.models import MenteeProfile, MentorProfile
from orm.vocabulary import ContactKind, ViewerRole
from resolvers import validation
from resolvers.catalogue import _
from resolvers.errors import BadUserInput

MAX_VALUE = 300
MAX_LINKS = 10


@dataclass(frozen=True)
class ContactLink:
    kind: ContactKind
    value: str


# What each kind accepts, as the contract lists it, normalised for storing.
CHECKS: dict[ContactKind, Callable[[str, str], str]] = {
    ContactKind.EMAIL: validation.email,
    ContactKind.PHONE: validation.phone,
    ContactKind.LINKEDIN: validation.https_url,
    ContactKind.FACEBOOK: validation.https_url,
    ContactKind.OTHER: validation.https_url,
    ContactKind.SKYPE: validation.account_name_or_https_url,
    ContactKind.GOOGLE: validation.account_name_or_https_url,
}


def checked_value(field: str, kind: ContactKind, value: str) -> str:
    """The value as stored, or BAD_USER_INPUT naming `field`."""
    text = validation.required_text(field, value, max_length=MAX_VALUE)
    return CHECKS[kind](field, text)


def checked(field: str, links: Sequence[ContactLink] | None) -> list[dict[str, str]]:
    """The links as stored: each value checked for its kind, repeats dropped."""
    if not links:
        return []
    if len(links) > MAX_LINKS:
        raise BadUserInput(field, _("must have at most {max_links} entries.", max_links=MAX_LINKS))
    stored = []
    collected = validation.Collected()
    for index, link in enumerate(links):
        with collected:
            value = checked_value(f"{field}[{index}].value", link.kind, link.value)
            stored.append({"kind": link.kind.value, "value": value})
    collected.raise_any()
    return validation.unique_dicts(stored)


def _served(stored: Any) -> ContactLink | None:
    """A stored link as it may be served; None for one that its kind's check refuses.

    Values saved before each kind had its own check are checked again here,
    so that an old `javascript:` link is never served; an old phone number
    is served in its E.164 form. E-mail addresses were always checked, and a
    number already in E.164 form passed the check when it was saved.
    """
    try:
        kind, value = ContactKind(stored["kind"]), str(stored["value"])
    except (KeyError, TypeError, ValueError):
        return None
    if kind is ContactKind.EMAIL or (
        kind is ContactKind.PHONE and validation.E164.fullmatch(value)
    ):
        return ContactLink(kind, value)
    try:
        return ContactLink(kind, checked_value("contactLinks", kind, value))
    except BadUserInput:
        return None


def served(stored: Sequence[Any]) -> list[ContactLink]:
    return [link for link in map(_served, stored) if link is not None]


# Whether the viewer is the profile's partner in a relationship that shows
# the links: a per-request DataLoader's `load`, batching these lookups.
PartnerSees = Callable[[ContactKey], Awaitable[bool]]


async def may_see(
    viewer_id: int | None, profile: MentorProfile | MenteeProfile, partner_sees: PartnerSees
) -> bool:
    """The owner, and the partner while the relationship shows them; nobody else."""
    if viewer_id is None:
        return False
    if viewer_id == profile.user_id:
        return True
    side = ViewerRole.MENTOR if isinstance(profile, MentorProfile) else ViewerRole.MENTEE
    return await partner_sees(ContactKey(viewer_id=viewer_id, side=side, profile_id=profile.id))


async def seen_by(
    viewer_id: int | None, profile: MentorProfile | MenteeProfile, partner_sees: PartnerSees
) -> list[ContactLink]:
    """The profile's links as the viewer may see them: all, or none."""
    if not profile.contact_links or not await may_see(viewer_id, profile, partner_sees):
        return []
    return served(profile.contact_links)
