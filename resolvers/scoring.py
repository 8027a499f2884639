"""How mentors are scored for a mentee: THE place where the weights live.

A score is the sum of whole points per criterion; the SQL in
`orm.suggestions` computes each criterion's points from `WEIGHTS`, and
`reasons` below turns the points of each returned mentor into a readable
reason. Criteria that earn nothing are not listed as reasons.

- TOPICS: 10 per topic the mentee wants and the mentor offers.
- LANGUAGES: 3 per language both speak (one shared language is a hard filter).
- INDUSTRY: 8 for the same industry (whole value, case-insensitive).
- FIELD_OF_STUDY: 5 for the same field of study.
- EXPERIENCE: 6 for 10 or more years more experience than the mentee, 4 for
  5 or more, 1 for 2 or more.
- SITUATION: 6 when the mentor offers a topic that fits the mentee's
  situation (`situation_topics`: career planning for a re-entry, application
  strategy for a career entry, intercultural communication for a relocation...).
- LOCATION: 10 when a RELOCATION mentee's mentor lives in the target
  country, else 3 when the mentor lives in the mentee's own country.
- TIME_ZONE: 4 for the same clock time, 3 within 2 h, 1 within 5 h (offsets
  as of the current hour, see `orm.timezones`).
- CAPACITY: 1 per free place, at most 3.

Why these numbers: topics are what a mentoring is about, so each shared
topic outweighs any single other criterion; a shared industry is the next
strongest signal (advice on a working world), a shared field of study a
weaker one. Experience, situation fit and location make a mentor better
placed to help; time zone and language are conveniences once one language is
shared. Free capacity adds a little, so that among equals the mentors with
room rank first and the same few mentors are not shown to everyone.
Responsiveness (how quickly a mentor answers requests) is to be added once
relationships record it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pycountry

from orm.models import MentorProfile
from orm.rules.accepting import free_places
from orm.suggestions import Criterion, Scored, Weights
from orm.timezones import distance_minutes
from orm.traits import MenteeTraits
from orm.vocabulary import Situation, Topic

WEIGHTS = Weights(
    per_shared_topic=10,
    per_shared_language=3,
    same_industry=8,
    same_field_of_study=5,
    experience_gap=((10, 6), (5, 4), (2, 1)),
    situation_topics={
        Situation.STUDIES: (Topic.SUBJECT_EXPERTISE, Topic.CAREER_PLANNING),
        Situation.CAREER_ENTRY: (Topic.APPLICATION_STRATEGY,),
        Situation.CAREER_REENTRY: (Topic.CAREER_PLANNING,),
        Situation.JOB_CHANGE: (Topic.NETWORKING, Topic.SELF_MARKETING),
        Situation.RELOCATION: (Topic.INTERCULTURAL_COMMUNICATION,),
    },
    situation_fit=6,
    relocation_target_country=10,
    same_country=3,
    time_zone=((0, 4), (120, 3), (300, 1)),
    per_free_place=1,
    max_free_places=3,
)

SITUATION_PHRASES = {
    Situation.STUDIES: "your studies",
    Situation.CAREER_ENTRY: "starting your career",
    Situation.CAREER_REENTRY: "returning to work",
    Situation.JOB_CHANGE: "changing jobs",
    Situation.RELOCATION: "moving to another country",
    Situation.OTHER: "your situation",
}


@dataclass(frozen=True)
class Reason:
    criterion: Criterion
    points: int
    detail: str


@dataclass(frozen=True)
class Facts:
    """What a detail is written from: both profiles and the scoring instant."""

    mentee: MenteeTraits
    mentor: MentorProfile
    at: datetime


def _listing(names: list[str]) -> str:
    return ", ".join(names)


def _country(code: str | None) -> str:
    country = pycountry.countries.get(alpha_2=code or "")
    return str(getattr(country, "common_name", None) or country.name) if country else str(code)


def _language(code: str) -> str:
    language = pycountry.languages.get(alpha_2=code)
    return str(language.name) if language else code


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _topics(f: Facts) -> str:
    shared = [t.label for t in f.mentee.topics if t.value in f.mentor.topics]
    if len(f.mentee.topics) == 1:
        return f"Shares your topic: {_listing(shared)}"
    return f"Shares {len(shared)} of your {len(f.mentee.topics)} topics: {_listing(shared)}"


def _languages(f: Facts) -> str:
    shared = [_language(code) for code in f.mentee.languages if code in f.mentor.languages]
    noun = "language" if len(shared) == 1 else "languages"
    return f"Speaks your {noun}: {_listing(shared)}"


def _experience(f: Facts) -> str:
    gap = (f.mentor.years_of_experience or 0) - f.mentee.years_of_experience
    return f"{_plural(gap, 'year')} more experience than you"


def _situation(f: Facts) -> str:
    situation = Situation(f.mentee.situation)
    offered = [t.label for t in WEIGHTS.situation_topics[situation] if t.value in f.mentor.topics]
    return f"Offers {_listing(offered)}, which helps with {SITUATION_PHRASES[situation]}"


def _location(f: Facts) -> str:
    relocating = f.mentee.situation == Situation.RELOCATION.value
    if relocating and f.mentor.country == f.mentee.target_country:
        return f"Lives in {_country(f.mentor.country)}, where you are moving"
    return f"Lives in your country: {_country(f.mentor.country)}"


def _time_zone(f: Facts) -> str:
    apart = distance_minutes(f.mentee.timezone or "", f.mentor.timezone or "", f.at) or 0
    if apart == 0:
        return f"Same clock time as you ({f.mentor.timezone})"
    hours = f"{apart // 60}" if apart % 60 == 0 else f"{apart / 60:.1f}"
    return f"Clock {hours} h from yours ({f.mentor.timezone})"


def _capacity(f: Facts) -> str:
    free = free_places(f.mentor)
    return f"Has {_plural(free, 'free place')}"


DETAILS: dict[Criterion, Callable[[Facts], str]] = {
    Criterion.TOPICS: _topics,
    Criterion.LANGUAGES: _languages,
    Criterion.INDUSTRY: lambda f: f"Works in your industry: {f.mentor.industry}",
    Criterion.FIELD_OF_STUDY: lambda f: f"Studied your field: {f.mentor.field_of_study}",
    Criterion.EXPERIENCE: _experience,
    Criterion.SITUATION: _situation,
    Criterion.LOCATION: _location,
    Criterion.TIME_ZONE: _time_zone,
    Criterion.CAPACITY: _capacity,
}


def reasons(scored: Scored, facts: Facts) -> list[Reason]:
    """The criteria that earned points, each with its detail; they sum to the score."""
    return [
        Reason(criterion=criterion, points=points, detail=DETAILS[criterion](facts))
        for criterion, points in scored.points.items()
        if points
    ]
