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
- RESPONSIVENESS: 0 to 6 for the share of requests the mentor answered
  within 48 hours, shrunk towards one half (`orm.rules.responsiveness`): 3
  for a mentor without history, 6 for one who answers nearly every request
  quickly, 0 for one who lets nearly every request expire.

Why these numbers: topics are what a mentoring is about, so each shared
topic outweighs any single other criterion; a shared industry is the next
strongest signal (advice on a working world), a shared field of study a
weaker one. Experience, situation fit and location make a mentor better
placed to help; time zone and language are conveniences once one language is
shared. Free capacity adds a little, so that among equals the mentors with
room rank first and the same few mentors are not shown to everyone.
Responsiveness weighs like a close time zone: an unanswered request is what
mentees complain of most, yet it must not outweigh a shared topic, and a new
mentor starts in the middle so that newcomers are still suggested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from orm.models import MentorProfile
from orm.rules.accepting import free_places
from orm.suggestions import Criterion, Scored, Weights
from orm.timezones import distance_minutes
from orm.traits import MenteeTraits
from orm.vocabulary import Situation, Topic
from resolvers.catalogue import CountryName, LanguageName, Number, Text, _, ngettext
from resolvers.topics import label

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
    responsiveness=6,
)

SITUATION_PHRASES = {
    Situation.STUDIES: _("your studies"),
    Situation.CAREER_ENTRY: _("starting your career"),
    Situation.CAREER_REENTRY: _("returning to work"),
    Situation.JOB_CHANGE: _("changing jobs"),
    Situation.RELOCATION: _("moving to another country"),
    Situation.OTHER: _("your situation"),
}


@dataclass(frozen=True)
class Reason:
    criterion: Criterion
    points: int
    # Rendered in the reader's language by the schema (`resolvers.catalogue`).
    detail: Text


@dataclass(frozen=True)
class Facts:
    """What a detail is written from: both profiles and the scoring instant."""

    mentee: MenteeTraits
    mentor: MentorProfile
    at: datetime


def _topics(f: Facts) -> Text:
    shared = tuple(label(t) for t in f.mentee.topics if t.value in f.mentor.topics)
    if len(f.mentee.topics) == 1:
        return _("Shares your topic: {topics}", topics=shared)
    return _(
        "Shares {shared} of your {wanted} topics: {topics}",
        shared=len(shared),
        wanted=len(f.mentee.topics),
        topics=shared,
    )


def _languages(f: Facts) -> Text:
    shared = tuple(LanguageName(c) for c in f.mentee.languages if c in f.mentor.languages)
    return ngettext(
        "Speaks your language: {languages}",
        "Speaks your languages: {languages}",
        len(shared),
        languages=shared,
    )


def _experience(f: Facts) -> Text:
    gap = (f.mentor.years_of_experience or 0) - f.mentee.years_of_experience
    return ngettext(
        "{count} year more experience than you", "{count} years more experience than you", gap
    )


def _situation(f: Facts) -> Text:
    situation = Situation(f.mentee.situation)
    offered = tuple(
        label(t) for t in WEIGHTS.situation_topics[situation] if t.value in f.mentor.topics
    )
    return _(
        "Offers {topics}, which helps with {situation}",
        topics=offered,
        situation=SITUATION_PHRASES[situation],
    )


def _location(f: Facts) -> Text:
    relocating = f.mentee.situation == Situation.RELOCATION.value
    country = CountryName(f.mentor.country or "")
    if relocating and f.mentor.country == f.mentee.target_country:
        return _("Lives in {country}, where you are moving", country=country)
    return _("Lives in your country: {country}", country=country)


def _time_zone(f: Facts) -> Text:
    apart = distance_minutes(f.mentee.timezone or "", f.mentor.timezone or "", f.at) or 0
    if apart == 0:
        return _("Same clock time as you ({zone})", zone=f.mentor.timezone)
    return _(
        "Clock {hours} h from yours ({zone})", hours=Number(apart / 60), zone=f.mentor.timezone
    )


def _capacity(f: Facts) -> Text:
    free = free_places(f.mentor)
    return ngettext("Has {count} free place", "Has {count} free places", free)


def _responsiveness(f: Facts) -> Text:
    decided = f.mentor.requests_decided
    if not decided:
        return _("No requests to answer yet: counted as average")
    return ngettext(
        "Answered {quick} of {count} request within 2 days",
        "Answered {quick} of {count} requests within 2 days",
        decided,
        quick=f.mentor.answered_quickly,
    )


DETAILS: dict[Criterion, Callable[[Facts], Text]] = {
    Criterion.TOPICS: _topics,
    Criterion.LANGUAGES: _languages,
    Criterion.INDUSTRY: lambda f: _(
        "Works in your industry: {industry}", industry=f.mentor.industry
    ),
    Criterion.FIELD_OF_STUDY: lambda f: _(
        "Studied your field: {field}", field=f.mentor.field_of_study
    ),
    Criterion.EXPERIENCE: _experience,
    Criterion.SITUATION: _situation,
    Criterion.LOCATION: _location,
    Criterion.TIME_ZONE: _time_zone,
    Criterion.CAPACITY: _capacity,
    Criterion.RESPONSIVENESS: _responsiveness,
}


def reasons(scored: Scored, facts: Facts) -> list[Reason]:
    """The criteria that earned points, each with its detail; they sum to the score."""
    return [
        Reason(criterion=criterion, points=points, detail=DETAILS[criterion](facts))
        for criterion, points in scored.points.items()
        if points
    ]
