"""Named queries for relationships: reading, locking, and guarded writes.

Every status change is a conditional UPDATE on the status it starts from, so
that a change made meanwhile by another request shows as "nothing updated"
instead of being overwritten.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import TransactionContext
from tortoise.expressions import F, Q, Subquery
from tortoise.transactions import in_transaction

from orm.models import MenteeProfile, MentorProfile, Relationship, User
from orm.rules.accepting import free_place_filter
from orm.rules.due import due_filter
from orm.vocabulary import RelationshipStatus

Status = RelationshipStatus

# A mentee's requests still waiting for an answer.
OPEN = (Status.REQUESTED,)
# Relationships that hold one of the mentor's places (`mentee_count`).
HOLDING_A_PLACE = (Status.ACCEPTED, Status.ACTIVE)
# While their relationship is in one of these, partners see each other's
# contact links; never after an early end (ENDED), which may have been an
# unpleasant one. `orm.loading.contact_links_visible` reads it.
CONTACTS_VISIBLE = (Status.ACCEPTED, Status.ACTIVE, Status.COMPLETED)


@dataclass(frozen=True)
class Scope:
    """Relationships touching any of: one mentee, one mentor, or the mentor of
    one relationship (so, that relationship too)."""

    mentee_id: int | None = None
    mentor_id: int | None = None
    mentor_of_relationship: int | None = None

    def condition(self) -> Q:
        parts: list[Q] = []
        if self.mentee_id is not None:
            parts.append(Q(mentee_id=self.mentee_id))
        if self.mentor_id is not None:
            parts.append(Q(mentor_id=self.mentor_id))
        if self.mentor_of_relationship is not None:
            mentor = Relationship.filter(id=self.mentor_of_relationship).values("mentor_id")
            parts.append(Q(mentor_id__in=Subquery(mentor)))
        assert parts, "an empty scope would settle everything: pass None for that"
        return Q(*parts, join_type=Q.OR)


def transaction() -> TransactionContext:
    return in_transaction()


def _values(statuses: Collection[Status]) -> list[str]:
    return [status.value for status in statuses]


async def one(relationship_id: int) -> Relationship | None:
    """A relationship with both profiles (their `user_id`s decide the viewer's role)."""
    return await Relationship.filter(id=relationship_id).select_related("mentor", "mentee").first()


async def locked(relationship_id: int) -> Relationship | None:
    """Like `one`, locking the relationship's row until the transaction ends (PostgreSQL).

    SQLite needs no lock: Tortoise runs one transaction at a time on it.
    """
    return (
        await Relationship.filter(id=relationship_id)
        .select_for_update(of=("relationship",))
        .select_related("mentor", "mentee")
        .first()
    )


@dataclass(frozen=True)
class Sides:
    """A user's mentor and mentee profile ids: the sides they may take."""

    mentor_id: int | None
    mentee_id: int | None

    def scope(self) -> Scope | None:
        if self.mentor_id is None and self.mentee_id is None:
            return None
        return Scope(mentor_id=self.mentor_id, mentee_id=self.mentee_id)


async def sides_of(user_id: int) -> Sides:
    """One statement: the ids a `Scope` of the user's relationships needs."""
    found = await User.filter(id=user_id).values("mentor_profile__id", "mentee_profile__id")
    row = found[0] if found else {}
    return Sides(row.get("mentor_profile__id"), row.get("mentee_profile__id"))


async def lock_mentee(mentee_id: int) -> None:
    """Serialise one mentee's requests (PostgreSQL), so that limits hold under races."""
    await MenteeProfile.filter(id=mentee_id).select_for_update().only("id").first()


async def unfinished_of_mentee(mentee_id: int) -> list[Relationship]:
    """The mentee's open requests and the relationships that hold a mentor's place."""
    statuses = _values((*OPEN, *HOLDING_A_PLACE))
    return await Relationship.filter(mentee_id=mentee_id, status__in=statuses)


async def create_request(
    *, mentor_id: int, mentee_id: int, topics: list[str], goals: str | None, at: datetime
) -> Relationship:
    return await Relationship.create(
        mentor_id=mentor_id,
        mentee_id=mentee_id,
        status=Status.REQUESTED.value,
        request_topics=topics,
        request_goals=goals,
        created_at=at,
    )


async def move(relationship_id: int, before: Status, after: Status, **changes: Any) -> bool:
    """Change the status from `before` to `after`; False when it was no longer `before`."""
    updated = await Relationship.filter(id=relationship_id, status=before.value).update(
        status=after.value, **changes
    )
    return updated == 1


async def change_places(mentor_id: int, places: int) -> bool:
    """Take (+1) or free (-1) one of a mentor's places; False when none was free.

    Taking a place happens only while `mentee_count < capacity`, checked by
    the UPDATE itself, so two concurrent accepts cannot both pass it, on any
    engine.
    """
    # Taking needs a free place; freeing never goes below zero.
    guard = free_place_filter() if places > 0 else Q(mentee_count__gt=0)
    query = MentorProfile.filter(guard, id=mentor_id)
    return await query.update(mentee_count=F("mentee_count") + places) == 1


async def count_decision(mentor_id: int, *, quick: bool) -> None:
    """One more request of the mentor's decided (answered or expired); maybe a quick answer.

    The counters of `orm.rules.responsiveness`, written in the transaction of
    the move that decides the request.
    """
    counters: dict[str, Any] = {"requests_decided": F("requests_decided") + 1}
    if quick:
        counters["answered_quickly"] = F("answered_quickly") + 1
    await MentorProfile.filter(id=mentor_id).update(**counters)


async def due_for_settling(
    now: datetime, *, limit: int, scope: Scope | None = None
) -> Sequence[Relationship]:
    """Requests unanswered too long and ACTIVE relationships whose end date has passed."""
    query = Relationship.filter(due_filter(now))
    if scope is not None:
        query = query.filter(scope.condition())
    return await query.select_related("mentor", "mentee").order_by("id").limit(limit)


# Relationships a member leaving or blocking brings to an end: open requests
# and relationships still running (a suspension withdraws the open requests only).
RUNNING = (Status.REQUESTED, Status.ACCEPTED, Status.ACTIVE)


async def running_of(
    user_id: int, *, partner_id: int | None = None, statuses: Sequence[Status] = RUNNING
) -> list[Relationship]:
    """The user's relationships in `statuses`, made or received; with `partner_id` only if given."""
    mine = Q(mentor__user_id=user_id) | Q(mentee__user_id=user_id)
    query = Relationship.filter(mine, status__in=_values(statuses))
    if partner_id is not None:
        query = query.filter(Q(mentor__user_id=partner_id) | Q(mentee__user_id=partner_id))
    return await query.select_related("mentor", "mentee").order_by("id")
