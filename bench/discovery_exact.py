"""Brute force for bench.discovery --check-exact: every mentor scored and matched in Python.

Reads every mentor row once (in id order, in batches, so that a million rows
stay affordable), then for each mentee scores every eligible mentor with the
criteria as `resolvers.scoring` describes them and the weights of `WEIGHTS`,
and for each search decides every match from the contract's words. It
shares no SQL with `orm.suggestions` or `orm.search`: what it shares are the
Python renderings of the rules (`orm.rules`) and the zone offsets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from orm.rules.accepting import accepts_mentees, free_places
from orm.rules.responsiveness import points as responsiveness_points
from orm.sql import connection
from orm.suggestions import Weights
from orm.timezones import distance_minutes
from orm.traits import MenteeTraits
from orm.vocabulary import Situation
from tests.discovery.oracle import words

BATCH = 50_000


@dataclass(frozen=True)
class Row:
    id: int
    user_id: int
    complete: bool
    accepting_mentees: bool
    capacity: int | None
    mentee_count: int
    requests_decided: int
    answered_quickly: int
    topics: frozenset[str]
    languages: frozenset[str]
    industry: str | None
    field_of_study: str | None
    years: int | None
    country: str | None
    timezone: str | None
    text: str


def _list(value: Any) -> list[str]:
    return list(json.loads(value) if isinstance(value, str) else value or [])


async def all_mentors() -> list[Row]:
    db = connection()
    rows: list[Row] = []
    last = 0
    suspended = {
        int(r["id"])
        for r in await db.execute_query_dict('SELECT id FROM "user" WHERE suspended_at IS NOT NULL')
    }
    while True:
        batch = await db.execute_query_dict(
            "SELECT mp.*, u.display_name FROM mentor_profile mp "  # noqa: S608 - integers only
            'JOIN "user" u ON u.id = mp.user_id '
            f"WHERE mp.id > {last} ORDER BY mp.id LIMIT {BATCH}"
        )
        if not batch:
            return rows
        for r in batch:
            if int(r["user_id"]) in suspended:
                continue
            texts = (r["display_name"], r["headline"], r["bio"], r["industry"], r["field_of_study"])
            rows.append(
                Row(
                    id=int(r["id"]),
                    user_id=int(r["user_id"]),
                    complete=bool(r["is_complete"]),
                    accepting_mentees=bool(r["accepting_mentees"]),
                    capacity=r["capacity"],
                    mentee_count=int(r["mentee_count"]),
                    requests_decided=int(r["requests_decided"]),
                    answered_quickly=int(r["answered_quickly"]),
                    topics=frozenset(_list(r["topics"])),
                    languages=frozenset(_list(r["languages"])),
                    industry=r["industry"],
                    field_of_study=r["field_of_study"],
                    years=r["years_of_experience"],
                    country=r["country"],
                    timezone=r["timezone"],
                    text=" ".join(t for t in texts if t),
                )
            )
        last = int(batch[-1]["id"])


def score(row: Row, m: MenteeTraits, w: Weights, at: datetime) -> int:
    wanted = {t.value for t in m.topics}
    total = w.per_shared_topic * len(wanted & row.topics)
    total += w.per_shared_language * len(set(m.languages) & row.languages)
    if m.industry and row.industry and m.industry.lower() == row.industry.lower():
        total += w.same_industry
    if m.field_of_study and row.field_of_study:
        total += w.same_field_of_study * (m.field_of_study.lower() == row.field_of_study.lower())
    gap = (row.years or 0) - m.years_of_experience if row.years is not None else None
    for years, points in w.experience_gap:
        if gap is not None and gap >= years:
            total += points
            break
    helpful = w.situation_topics.get(Situation(m.situation)) if m.situation else None
    if helpful and {t.value for t in helpful} & row.topics:
        total += w.situation_fit
    relocating = m.situation == Situation.RELOCATION.value and m.target_country
    if relocating and m.target_country == row.country:
        total += w.relocation_target_country
    elif m.country and m.country == row.country:
        total += w.same_country
    if m.timezone and row.timezone:
        apart = distance_minutes(m.timezone, row.timezone, at)
        for limit, points in w.time_zone:
            if apart is not None and apart <= limit:
                total += points
                break
    total += min(max(free_places(row), 0), w.max_free_places) * w.per_free_place
    return total + responsiveness_points(row, w.responsiveness)


def best(
    rows: list[Row], m: MenteeTraits, w: Weights, at: datetime, k: int
) -> list[tuple[int, int]]:
    """(id, score) of the k best eligible mentors; the bench's data has no relationships
    or blocks (checked by the caller), so eligibility is the row's own rules."""
    languages = set(m.languages)
    scored = [
        (row.id, score(row, m, w, at))
        for row in rows
        if row.complete
        and accepts_mentees(row)
        and row.user_id != m.user_id
        and languages & row.languages
    ]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:k]


def matching(rows: list[Row], search: dict[str, Any]) -> list[int]:
    """Ids of the complete mentors matching a text + topics + languages search, in id order."""
    wanted = words(search.get("text"))
    topics = set(search.get("topics") or ())
    languages = set(search.get("languages") or ())
    return [
        row.id
        for row in rows
        if row.complete
        and (not wanted or wanted <= words(row.text))
        and (not topics or topics & row.topics)
        and (not languages or languages & row.languages)
    ]
