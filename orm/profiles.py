"""Named queries for mentor and mentee profiles."""

from __future__ import annotations

from collections.abc import Callable

from tortoise.transactions import in_transaction

from orm.models import MenteeProfile, MentorLanguage, MentorProfile, MentorTopic, User
from orm.vocabulary import topic_mask


async def mentee_of(user: User) -> MenteeProfile | None:
    return await MenteeProfile.get_or_none(user_id=user.id)


async def mentor_by_id(mentor_id: int) -> MentorProfile | None:
    return await MentorProfile.filter(id=mentor_id).select_related("user").first()


async def update_mentor(
    user: User, change: Callable[[MentorProfile], None], *, retag: bool
) -> MentorProfile:
    """Read the user's mentor profile (or start one), change it and save it, in one transaction.

    Reading inside the transaction (locked on PostgreSQL, IMMEDIATE on SQLite)
    keeps concurrent partial updates of one profile from undoing each other:
    each starts from the row the previous one saved. The topic and language
    rows are rewritten when they changed (`retag`) or the profile is new, so
    search never sees them disagree with the JSON lists.
    """
    async with in_transaction():
        found = await MentorProfile.select_for_update().get_or_none(user_id=user.id)
        profile = found or MentorProfile(user=user)
        change(profile)
        profile.topic_mask = topic_mask(profile.topics)
        await profile.save()
        if retag or found is None:
            await MentorTopic.filter(mentor_id=profile.id).delete()
            await MentorTopic.bulk_create(
                [MentorTopic(mentor_id=profile.id, topic=topic) for topic in profile.topics]
            )
            await MentorLanguage.filter(mentor_id=profile.id).delete()
            await MentorLanguage.bulk_create(
                [MentorLanguage(mentor_id=profile.id, language=code) for code in profile.languages]
            )
    return profile


async def update_mentee(user: User, change: Callable[[MenteeProfile], None]) -> MenteeProfile:
    """As `update_mentor`, for the mentee profile."""
    async with in_transaction():
        found = await MenteeProfile.select_for_update().get_or_none(user_id=user.id)
        profile = found or MenteeProfile(user=user)
        change(profile)
        await profile.save()
    return profile
