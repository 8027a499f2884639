"""Named queries for agreements: the versions of a relationship's terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tortoise.functions import Max

from orm.models import Agreement
from orm.vocabulary import AgreementStatus


@dataclass(frozen=True)
class Terms:
    goals: list[str]
    topics: list[str]
    expectations: str | None
    cadence: str
    channels: list[str]
    starts_on: date
    ends_on: date


async def latest_version(relationship_id: int) -> int:
    """The highest version number so far, 0 when nothing was proposed."""
    row = (
        await Agreement.filter(relationship_id=relationship_id)
        .annotate(top=Max("version"))
        .first()
        .values("top")
    )
    return int((row or {}).get("top") or 0)


async def propose(
    relationship_id: int, *, version: int, proposed_by_id: int, terms: Terms, at: datetime
) -> Agreement:
    """Add a version; earlier proposals still open give way to it."""
    await Agreement.filter(
        relationship_id=relationship_id, status=AgreementStatus.PROPOSED.value
    ).update(status=AgreementStatus.SUPERSEDED.value)
    return await Agreement.create(
        relationship_id=relationship_id,
        version=version,
        proposed_by_id=proposed_by_id,
        status=AgreementStatus.PROPOSED.value,
        goals=terms.goals,
        topics=terms.topics,
        expectations=terms.expectations,
        cadence=terms.cadence,
        channels=terms.channels,
        starts_on=terms.starts_on,
        ends_on=terms.ends_on,
        created_at=at,
    )


async def version_of(relationship_id: int, version: int) -> Agreement | None:
    return await Agreement.get_or_none(relationship_id=relationship_id, version=version)


async def accept(agreement: Agreement, at: datetime) -> bool:
    """Make a proposed version the current terms; False when it was no longer proposed."""
    await Agreement.filter(
        relationship_id=agreement.relationship_id, status=AgreementStatus.ACCEPTED.value
    ).update(status=AgreementStatus.SUPERSEDED.value)
    updated = await Agreement.filter(id=agreement.id, status=AgreementStatus.PROPOSED.value).update(
        status=AgreementStatus.ACCEPTED.value, accepted_at=at
    )
    if updated == 1:
        agreement.status = AgreementStatus.ACCEPTED.value
        agreement.accepted_at = at
    return updated == 1
