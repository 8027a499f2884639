"""What `node` and `nodes` show the viewer: each object by its key, or nothing.

The rules are those of the fields that lead to each object:
- a person (`Member`): the viewer, the partners of their relationships, and
  anyone with a complete mentor profile (which shows their name to all);
- a mentor profile: a complete one to everyone, one that is not to its
  owner alone (`resolvers.profiles.visible_to`);
- a mentee profile: its owner and the mentors of its relationships;
- a relationship, its terms, messages and feedback: its two participants
  (read from the relationship itself, through its loader);
- never a person, or a profile of a person, whom the viewer blocked or who
  blocked the viewer (`orm.member_blocks`).
What is hidden is left out, as what does not exist: never an error.

Each function takes a batch of keys of one kind and reads through the
request's DataLoaders, so that `nodes` with many ids costs the statements of
one id per kind, and objects read here serve the fields selected below them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from orm.circles import Circle
from orm.listing import Listed, Wanted
from orm.models import (
    ActionStep,
    Agreement,
    Feedback,
    Meeting,
    MenteeProfile,
    MentorProfile,
    Message,
    User,
)
from orm.vocabulary import ViewerRole
from resolvers import relationships
from resolvers.catalogue import _
from resolvers.errors import BadUserInput, NotFound
from resolvers.ids import Kind, decimal_key, decode, global_id
from resolvers.lifecycle import Outbox, side_of
from resolvers.loaders import Loaders
from resolvers.profiles import visible_to

# A relationship as `orm.listing` read it, and the viewer's side of it.
Seen = tuple[Listed, ViewerRole]

# Ids one `nodes` call takes: as many as the largest page of any list.
MAX_IDS = 100


def check_count(ids: Sequence[str]) -> None:
    if len(ids) > MAX_IDS:
        raise BadUserInput("ids", _("must have at most {max_ids} entries.", max_ids=MAX_IDS))


def located(value: str) -> tuple[Kind, int] | None:
    """The kind and key of a stored object a global id names; None for anything else.

    Only global ids: here the kind is not known beforehand, so a decimal key
    (the ids of before) would be ambiguous. Viewer events are not stored.
    """
    decoded = decode(value)
    if decoded is None or decoded[0] is Kind.VIEWER_EVENT:
        return None
    kind, text = decoded
    key = decimal_key(text)
    return None if key is None else (kind, key)


NO_CIRCLE = Circle(frozenset(), frozenset())


async def _circle(loaders: Loaders, viewer: User | None) -> Circle:
    return NO_CIRCLE if viewer is None else await loaders.circle.load(viewer.id)


async def _hidden(loaders: Loaders, viewer: User | None) -> frozenset[int]:
    return (await _circle(loaders, viewer)).hidden_user_ids


async def members(loaders: Loaders, viewer: User | None, keys: Sequence[int]) -> dict[int, User]:
    """The people among `keys` (user ids) whom the viewer may see."""
    users = await loaders.user.load_many(keys)
    hidden = await _hidden(loaders, viewer)
    found = {
        key: user
        for key, user in zip(keys, users, strict=True)
        if user is not None and key not in hidden
    }
    circle = await _circle(loaders, viewer)
    strangers = [
        key
        for key in found
        if (viewer is None or key != viewer.id) and key not in circle.partner_user_ids
    ]
    if strangers:
        profiles = await loaders.mentor_by_user.load_many(strangers)
        for key, profile in zip(strangers, profiles, strict=True):
            if profile is None or not profile.is_complete:
                del found[key]
    return found


async def _owners(
    loaders: Loaders, profiles: dict[int, MentorProfile] | dict[int, MenteeProfile]
) -> dict[int, User]:
    users = await loaders.user.load_many([profile.user_id for profile in profiles.values()])
    return {key: user for key, user in zip(profiles, users, strict=True) if user is not None}


async def mentors(
    loaders: Loaders, viewer: User | None, keys: Sequence[int]
) -> dict[int, tuple[MentorProfile, User]]:
    """The mentor profiles among `keys` the viewer may see, with their owners."""
    viewer_id = viewer.id if viewer else None
    rows = await loaders.mentor.load_many(keys)
    hidden = await _hidden(loaders, viewer)
    shown = {
        key: row
        for key, row in zip(keys, rows, strict=True)
        if row is not None and visible_to(row, viewer_id) and row.user_id not in hidden
    }
    owners = await _owners(loaders, shown)
    return {key: (row, owners[key]) for key, row in shown.items() if key in owners}


async def mentees(
    loaders: Loaders, viewer: User | None, keys: Sequence[int]
) -> dict[int, tuple[MenteeProfile, User]]:
    """The mentee profiles among `keys` the viewer owns or mentors, with their owners."""
    if viewer is None:
        return {}
    rows = await loaders.mentee.load_many(keys)
    circle = await _circle(loaders, viewer)
    hidden = await _hidden(loaders, viewer)
    shown = {
        key: row
        for key, row in zip(keys, rows, strict=True)
        if row is not None
        and row.user_id not in hidden
        and (row.user_id == viewer.id or key in circle.mentored_mentee_ids)
    }
    owners = await _owners(loaders, shown)
    return {key: (row, owners[key]) for key, row in shown.items() if key in owners}


async def _participating(loaders: Loaders, viewer: User, keys: Sequence[int]) -> dict[int, Listed]:
    """The relationships among `keys` the viewer takes part in, as `orm.listing` reads them."""
    items = await loaders.relationship.load_many(keys)
    return {
        key: item
        for key, item in zip(keys, items, strict=True)
        if item is not None and viewer.id in (item.mentor_user_id, item.mentee_user_id)
    }


async def seen_relationships(
    loaders: Loaders,
    viewer: User | None,
    keys: Sequence[int],
    *,
    now: datetime,
    outbox: Outbox,
) -> dict[int, Seen]:
    """The relationships among `keys` the viewer takes part in, as of `now`."""
    if viewer is None:
        return {}
    seen: dict[int, Seen] = {}
    for key, item in (await _participating(loaders, viewer, keys)).items():
        if item.is_due(now):
            # Rare: time has changed its status. Settled first, as every read does.
            fresh, _side = await relationships.relationship(
                viewer, global_id(Kind.RELATIONSHIP, key), Wanted(), now=now, outbox=outbox
            )
            loaders.relationship.prime(key, fresh, force=True)
            item = fresh
        seen[key] = (item, side_of(viewer.id, item.mentor_user_id, item.mentee_user_id))
    return seen


async def seen_relationship(
    loaders: Loaders, viewer: User | None, key: int, *, now: datetime, outbox: Outbox
) -> Seen:
    """One relationship the viewer takes part in (where terms, feedback, a message lead)."""
    found = await seen_relationships(loaders, viewer, [key], now=now, outbox=outbox)
    if key not in found:
        raise NotFound("relationship")
    return found[key]


Part = TypeVar("Part", Agreement, Feedback, Message, ActionStep, Meeting)


async def _in_own_relationships(
    loaders: Loaders, viewer: User, rows: dict[int, Part | None]
) -> dict[int, Part]:
    """The rows (terms, feedback, messages) of relationships the viewer takes part in.

    Read through the relationship loader, which then holds them for a
    `relationship { ... }` selected below.
    """
    found = {key: row for key, row in rows.items() if row is not None}
    wanted = list(dict.fromkeys(row.relationship_id for row in found.values()))
    mine = await _participating(loaders, viewer, wanted)
    return {key: row for key, row in found.items() if row.relationship_id in mine}


async def agreements(
    loaders: Loaders, viewer: User | None, keys: Sequence[int]
) -> dict[int, Agreement]:
    """The versions of terms among `keys` of the viewer's own relationships."""
    if viewer is None:
        return {}
    rows = await loaders.agreement.load_many(keys)
    return await _in_own_relationships(loaders, viewer, dict(zip(keys, rows, strict=True)))


async def feedback(
    loaders: Loaders, viewer: User | None, keys: Sequence[int]
) -> dict[int, Feedback]:
    """The feedback among `keys` given on the viewer's own relationships."""
    if viewer is None:
        return {}
    rows = await loaders.feedback.load_many(keys)
    return await _in_own_relationships(loaders, viewer, dict(zip(keys, rows, strict=True)))


async def messages(
    loaders: Loaders, viewer: User | None, keys: Sequence[int]
) -> dict[int, Message]:
    """The messages among `keys` of the viewer's own conversations."""
    if viewer is None:
        return {}
    rows = await loaders.message.load_many(keys)
    return await _in_own_relationships(loaders, viewer, dict(zip(keys, rows, strict=True)))


async def action_steps(
    loaders: Loaders, viewer: User | None, keys: Sequence[int]
) -> dict[int, ActionStep]:
    """The action steps among `keys` of the viewer's own relationships."""
    if viewer is None:
        return {}
    rows = await loaders.action_step.load_many(keys)
    return await _in_own_relationships(loaders, viewer, dict(zip(keys, rows, strict=True)))


async def meetings(
    loaders: Loaders, viewer: User | None, keys: Sequence[int]
) -> dict[int, Meeting]:
    """The meetings among `keys` of the viewer's own relationships."""
    if viewer is None:
        return {}
    rows = await loaders.meeting.load_many(keys)
    return await _in_own_relationships(loaders, viewer, dict(zip(keys, rows, strict=True)))
