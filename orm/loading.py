"""Batch lookups behind the per-request DataLoaders: one query per batch.

Each returns one entry per requested key, in the keys' order, None where no
row exists, as DataLoader requires.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from orm.models import Agreement, Feedback, MenteeProfile, MentorProfile, Message, User
from orm.relationships import CONTACTS_VISIBLE
from orm.sql import Params, connection, dialect_of, fetch_bounded
from orm.vocabulary import RelationshipStatus as Status
from orm.vocabulary import ViewerRole


async def users_by_id(ids: Sequence[int]) -> list[User | None]:
    rows = {user.id: user for user in await User.filter(id__in=list(ids))}
    return [rows.get(key) for key in ids]


async def mentor_profiles_by_user(user_ids: Sequence[int]) -> list[MentorProfile | None]:
    rows = await MentorProfile.filter(user_id__in=list(user_ids))
    by_user = {row.user_id: row for row in rows}
    return [by_user.get(key) for key in user_ids]


async def mentee_profiles_by_user(user_ids: Sequence[int]) -> list[MenteeProfile | None]:
    rows = await MenteeProfile.filter(user_id__in=list(user_ids))
    by_user = {row.user_id: row for row in rows}
    return [by_user.get(key) for key in user_ids]


async def mentor_profiles_by_id(ids: Sequence[int]) -> list[MentorProfile | None]:
    rows = {row.id: row for row in await MentorProfile.filter(id__in=list(ids))}
    return [rows.get(key) for key in ids]


async def mentee_profiles_by_id(ids: Sequence[int]) -> list[MenteeProfile | None]:
    rows = {row.id: row for row in await MenteeProfile.filter(id__in=list(ids))}
    return [rows.get(key) for key in ids]


async def agreements_by_relationship(ids: Sequence[int]) -> list[list[Agreement]]:
    """Every version of each relationship's terms, oldest first."""
    by_relationship: dict[int, list[Agreement]] = defaultdict(list)
    for row in await Agreement.filter(relationship_id__in=list(ids)).order_by("version"):
        by_relationship[row.relationship_id].append(row)
    return [by_relationship.get(key, []) for key in ids]


async def agreements_by_id(ids: Sequence[int]) -> list[Agreement | None]:
    rows = {row.id: row for row in await Agreement.filter(id__in=list(ids))}
    return [rows.get(key) for key in ids]


async def feedback_by_id(ids: Sequence[int]) -> list[Feedback | None]:
    rows = {row.id: row for row in await Feedback.filter(id__in=list(ids))}
    return [rows.get(key) for key in ids]


async def feedback_by_relationship(ids: Sequence[int]) -> list[list[Feedback]]:
    """The feedback given on each relationship, in the order it was given."""
    by_relationship: dict[int, list[Feedback]] = defaultdict(list)
    for row in await Feedback.filter(relationship_id__in=list(ids)).order_by("id"):
        by_relationship[row.relationship_id].append(row)
    return [by_relationship.get(key, []) for key in ids]


async def messages_by_id(ids: Sequence[int]) -> list[Message | None]:
    rows = {row.id: row for row in await Message.filter(id__in=list(ids))}
    return [rows.get(key) for key in ids]


@dataclass(frozen=True)
class ContactKey:
    """May `viewer_id` see the contact links of this mentor or mentee profile?"""

    viewer_id: int
    side: ViewerRole
    profile_id: int


async def contact_links_visible(keys: Sequence[ContactKey]) -> list[bool]:
    """True where the viewer is the profile's partner and their relationship shows them.

    A pair may have had several relationships (a new request after a
    completed mentoring): the latest one past the request decides, so that a
    later decline or early end hides what an earlier completion showed, and
    an open request changes nothing until it is answered.

    One hand-written statement per (viewer, side) in the batch, in practice
    one: every profile view by a signed-in user asks it.
    """
    visible: set[ContactKey] = set()
    groups: dict[tuple[int, ViewerRole], list[int]] = defaultdict(list)
    for key in keys:
        groups[(key.viewer_id, key.side)].append(key.profile_id)
    db = connection()
    statuses = [status.value for status in CONTACTS_VISIBLE]
    for (viewer_id, side), profile_ids in groups.items():
        # The profile's side of the relationship, and the viewer's on the other.
        shown, partner = ("mentor", "mentee") if side is ViewerRole.MENTOR else ("mentee", "mentor")
        params = Params(dialect_of(db))
        sql = (
            f"SELECT r.{shown}_id AS id FROM relationship r"  # noqa: S608 - placeholders only
            f" JOIN {partner}_profile partner ON partner.id = r.{partner}_id"
            f" WHERE r.{shown}_id IN ({params.add_all(profile_ids)})"
            f" AND partner.user_id = {params.add(viewer_id)}"
            f" AND r.status IN ({params.add_all(statuses)})"
            " AND NOT EXISTS (SELECT 1 FROM relationship later"
            " WHERE later.mentor_id = r.mentor_id AND later.mentee_id = r.mentee_id"
            f" AND later.id > r.id AND later.status <> {params.add(Status.REQUESTED.value)})"
        )
        found = await fetch_bounded(db, sql, params)
        visible.update(ContactKey(viewer_id, side, int(row["id"])) for row in found)
    return [key in visible for key in keys]
