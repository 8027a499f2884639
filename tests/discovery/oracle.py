"""An independent model of the search semantics, in plain Python.

It reads every mentor into memory (fine for a few hundred test rows) and
decides matches from the contract's words, sharing no code with the SQL.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from orm.models import MentorProfile


def fold(text: str) -> str:
    """Lower case without diacritics, as the SQLite index compares words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str | None) -> set[str]:
    return set(re.findall(r"[^\W_]+", fold(text or "")))


@dataclass(frozen=True)
class MentorFacts:
    id: int
    complete: bool
    document: set[str]
    topics: set[str]
    languages: set[str]
    country: str | None
    industry: str | None
    field_of_study: str | None
    years: int | None
    accepting: bool

    @classmethod
    def of(cls, row: MentorProfile) -> MentorFacts:
        texts = (row.user.display_name, row.headline, row.bio, row.industry, row.field_of_study)
        return cls(
            id=row.id,
            complete=row.is_complete,
            document=set().union(*(words(text) for text in texts)),
            topics=set(row.topics),
            languages=set(row.languages),
            country=row.country,
            industry=row.industry,
            field_of_study=row.field_of_study,
            years=row.years_of_experience,
            accepting=row.accepting_mentees and (row.capacity or 0) > row.mentee_count,
        )


async def all_mentors() -> list[MentorFacts]:
    rows = await MentorProfile.all().select_related("user").order_by("id")
    return [MentorFacts.of(row) for row in rows]


def matches(mentor: MentorFacts, f: dict[str, Any]) -> bool:
    def lowered(value: str | None) -> str | None:
        return value.lower() if value is not None else None

    checks = [
        mentor.complete,
        not f.get("text") or words(f["text"]) <= mentor.document,
        not f.get("topics") or bool(mentor.topics & set(f["topics"])),
        not f.get("languages") or bool(mentor.languages & {c.lower() for c in f["languages"]}),
        not f.get("countries") or mentor.country in {c.upper() for c in f["countries"]},
        not f.get("industries") or lowered(mentor.industry) in {v.lower() for v in f["industries"]},
        not f.get("fieldsOfStudy")
        or lowered(mentor.field_of_study) in {v.lower() for v in f["fieldsOfStudy"]},
        f.get("minYearsOfExperience") is None
        or (mentor.years is not None and mentor.years >= f["minYearsOfExperience"]),
        f.get("maxYearsOfExperience") is None
        or (mentor.years is not None and mentor.years <= f["maxYearsOfExperience"]),
        f.get("acceptingMentees") is None or mentor.accepting == f["acceptingMentees"],
    ]
    return all(checks)


def expected_ids(mentors: list[MentorFacts], f: dict[str, Any]) -> list[int]:
    return [mentor.id for mentor in mentors if matches(mentor, f)]


def responsiveness_points(decided: int, quick: int, most: int) -> int:
    """The share answered quickly with one quick and one slow answer added, of `most`, half up."""
    share = Fraction(quick + 1, decided + 2) * most
    whole = share.numerator // share.denominator
    return whole + 1 if share - whole >= Fraction(1, 2) else whole
