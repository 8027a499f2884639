"""Named queries for mentor and mentee profiles."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from orm.models import MenteeProfile, MentorLanguage, MentorProfile, MentorTopic, User
from orm.vocabulary import topic_mask


async def mentor_of(user: User) -> MentorProfile | None:
    return await MentorProfile.get_or_none(user_id=user.id)


async def mentee_of(user: User) -> MenteeProfile | None:
    return await MenteeProfile.get_or_none(user_id=user.id)


async def mentor_by_id(mentor_id: int) -> MentorProfile | None:
    return await MentorProfile.filter(id=mentor_id).select_related("user").first()


async def save_mentor(profile: MentorProfile, *, retag: bool) -> None:
    """Save a mentor profile and, when its topics or languages changed, their rows.

    Both happen in one transaction, so search never sees the JSON lists and
    the indexed rows disagree.
    """
    profile.topic_mask = topic_mask(profile.topics)
    async with in_transaction():
        await profile.save()
        if retag:
            await MentorTopic.filter(mentor_id=profile.id).delete()
            await MentorTopic.bulk_create(
                [MentorTopic(mentor_id=profile.id, topic=topic) for topic in profile.topics]
            )
            await MentorLanguage.filter(mentor_id=profile.id).delete()
            await MentorLanguage.bulk_create(
                [MentorLanguage(mentor_id=profile.id, language=code) for code in profile.languages]
            )


async def save_mentee(profile: MenteeProfile) -> None:
    await profile.save()
