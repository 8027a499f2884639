"""The mentee side of matching: what eligibility and scoring compare against."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from orm.models import MenteeProfile
from orm.records import model_reader
from orm.sql import Params, connection, dialect_of, fetch_bounded
from orm.vocabulary import Topic

_MENTEE = model_reader(MenteeProfile)


async def mentee_profile(user_id: int) -> MenteeProfile | None:
    """The user's mentee profile, which every suggestion and match score reads first.

    One hand-written statement: building the ORM's query cost more than running it.
    """
    db = connection()
    params = Params(dialect_of(db))
    sql = f"SELECT * FROM mentee_profile WHERE user_id = {params.add(user_id)}"  # noqa: S608
    rows = await fetch_bounded(db, sql, params)
    return _MENTEE(rows[0]) if rows else None


@dataclass(frozen=True)
class MenteeTraits:
    mentee_id: int
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
    # The moment of matching: relationships' expiry and the decline memory
    # are judged against it.
    now: datetime

    @classmethod
    def of(cls, profile: MenteeProfile, now: datetime) -> MenteeTraits:
        return cls(
            mentee_id=profile.id,
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
            now=now,
        )
