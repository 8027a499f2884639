"""Named queries for mentor and mentee profiles."""

from __future__ import annotations

from collections.abc import Callable

from tortoise.transactions import in_transaction

from orm.models import MenteeProfile, MentorProfile, User
from orm.vocabulary import topic_mask


async def mentee_of(user: User) -> MenteeProfile | None:
    return await MenteeProfile.get_or_none(user_id=user.id)


async def mentor_by_id(mentor_id: int) -> MentorProfile | None:
    return await MentorProfile.filter(id=mentor_id).select_related("user").first()


async def update_mentor(user: User, change: Callable[[MentorProfile], None]) -> MentorProfile:
    """Read the user's mentor profile (or start one), change it and save it, in one transaction.

    Reading inside the transaction (locked on PostgreSQL, IMMEDIATE on SQLite)
    keeps concurrent partial updates of one profile from undoing each other:
    each starts from the row the previous one saved. The topic bitmask is
    written with the topics, so scoring never sees them disagree.
    """
    async with in_transaction():
        found = await MentorProfile.select_for_update().get_or_none(user_id=user.id)
        profile = found or MentorProfile(user=user)
        change(profile)
        profile.topic_mask = topic_mask(profile.topics)
        await profile.save()
    return profile


async def update_mentee(user: User, change: Callable[[MenteeProfile], None]) -> MenteeProfile:
    """As `update_mentor`, for the mentee profile."""
    async with in_transaction():
        found = await MenteeProfile.select_for_update().get_or_none(user_id=user.id)
        profile = found or MenteeProfile(user=user)
        change(profile)
        await profile.save()
    return profile
