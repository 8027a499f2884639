"""Profile completeness: which contract fields a profile still lacks.

Each requirement names the input fields that satisfy it; an either-or
requirement (industry or field of study) lists both names while unmet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from orm.models import MenteeProfile, MentorProfile


@dataclass(frozen=True)
class Requirement:
    input_fields: tuple[str, ...]
    is_met: Callable[[Any], bool]


@dataclass(frozen=True)
class Completeness:
    percent: int
    is_complete: bool
    missing_fields: list[str]


def _present(attribute: str) -> Callable[[Any], bool]:
    return lambda profile: bool(getattr(profile, attribute))


_SHARED: tuple[Requirement, ...] = (
    Requirement(("headline",), _present("headline")),
    Requirement(("bio",), _present("bio")),
    Requirement(("country",), _present("country")),
    Requirement(("languages",), _present("languages")),
    Requirement(("industry", "fieldOfStudy"), lambda p: bool(p.industry) or bool(p.field_of_study)),
)

MENTEE_REQUIREMENTS: tuple[Requirement, ...] = (
    *_SHARED,
    Requirement(("situation",), _present("situation")),
    Requirement(("goals",), _present("goals")),
    Requirement(("topics",), _present("topics")),
)

MENTOR_REQUIREMENTS: tuple[Requirement, ...] = (
    *_SHARED,
    Requirement(("yearsOfExperience",), lambda p: p.years_of_experience is not None),
    Requirement(("topics",), _present("topics")),
    Requirement(("capacity",), lambda p: bool(p.capacity)),
)


def evaluate(profile: object, requirements: Sequence[Requirement]) -> Completeness:
    unmet = [requirement for requirement in requirements if not requirement.is_met(profile)]
    missing = [name for requirement in unmet for name in requirement.input_fields]
    met = len(requirements) - len(unmet)
    return Completeness(
        percent=met * 100 // len(requirements), is_complete=not unmet, missing_fields=missing
    )


def of_mentor(profile: MentorProfile) -> Completeness:
    return evaluate(profile, MENTOR_REQUIREMENTS)


def of_mentee(profile: MenteeProfile) -> Completeness:
    return evaluate(profile, MENTEE_REQUIREMENTS)
