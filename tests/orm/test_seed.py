"""Synthetic seeding: deterministic, consistent with the completeness rules."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from tortoise.context import TortoiseContext

from orm.models import MenteeProfile, MentorProfile, User
from orm.seed import seed_synthetic
from orm.vocabulary import topic_mask
from resolvers import completeness

SEEDED_AT = datetime(2026, 1, 1, tzinfo=UTC)


async def _snapshot() -> list[tuple[object, ...]]:
    rows = (
        await MentorProfile.all()
        .order_by("id")
        .values_list("id", "country", "languages", "topics", "years_of_experience", "capacity")
    )
    return [tuple(str(value) for value in row) for row in rows]


async def test_the_same_seed_gives_the_same_profiles(db: TortoiseContext) -> None:
    await seed_synthetic(mentors=50, mentees=5, seed=42, now=SEEDED_AT)
    first = await _snapshot()
    await MentorProfile.all().delete()
    await User.all().delete()

    await seed_synthetic(mentors=50, mentees=5, seed=42, now=SEEDED_AT)

    assert await _snapshot() == first


async def test_seeded_profiles_agree_with_the_completeness_rules(db: TortoiseContext) -> None:
    await seed_synthetic(mentors=300, mentees=100, seed=3, now=SEEDED_AT)

    mentors = await MentorProfile.all()
    mentees = await MenteeProfile.all()
    assert all(row.is_complete == completeness.of_mentor(row).is_complete for row in mentors)
    assert all(row.is_complete == completeness.of_mentee(row).is_complete for row in mentees)
    incomplete = sum(not row.is_complete for row in mentors) / len(mentors)
    assert 0.03 < incomplete < 0.2, "some, but not most, profiles are incomplete"


async def test_seeded_mentors_carry_the_topic_mask_of_their_topics(db: TortoiseContext) -> None:
    await seed_synthetic(mentors=200, mentees=0, seed=5, now=SEEDED_AT)

    for mentor in await MentorProfile.all():
        assert mentor.topic_mask == topic_mask(mentor.topics)
        assert mentor.created_at == SEEDED_AT


async def test_the_mix_is_believable(db: TortoiseContext) -> None:
    await seed_synthetic(mentors=1000, mentees=0, seed=9, now=SEEDED_AT)

    mentors = await MentorProfile.all()
    countries = Counter(row.country for row in mentors)
    assert countries.most_common(1)[0][0] == "DE"
    assert len(countries) >= 10
    assert all(1 <= (row.capacity or 0) <= 5 for row in mentors)
    assert all(5 <= (row.years_of_experience or 0) <= 35 for row in mentors)
    assert sum("en" in row.languages for row in mentors) > 500


async def test_seeding_twice_adds_rows_after_the_existing_ones(db: TortoiseContext) -> None:
    await seed_synthetic(mentors=10, mentees=2, seed=1, now=SEEDED_AT)
    await seed_synthetic(mentors=10, mentees=2, seed=2, now=SEEDED_AT)

    assert await MentorProfile.all().count() == 20
    assert await User.all().count() == 24
