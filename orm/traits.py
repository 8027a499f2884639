"""The mentee side of matching: what eligibility and scoring compare against."""

from __future__ import annotations

from dataclasses import dataclass

from orm.models import MenteeProfile
from orm.vocabulary import Topic


@dataclass(frozen=True)
class MenteeTraits:
    user_id: int
    topics: tuple[Topic, ...]
    languages: tuple[str, ...]
    industry: str | None
    field_of_study: str | None
    years_of_experience: int
    situation: str | None
    country: str | None
    target_country: str | None
    timezone: str | None

    @classmethod
    def of(cls, profile: MenteeProfile) -> MenteeTraits:
        return cls(
            user_id=profile.user_id,
            topics=tuple(Topic(value) for value in profile.topics),
            languages=tuple(profile.languages),
            industry=profile.industry,
            field_of_study=profile.field_of_study,
            years_of_experience=profile.years_of_experience or 0,
            situation=profile.situation,
            country=profile.country,
            target_country=profile.target_country,
            timezone=profile.timezone,
        )
