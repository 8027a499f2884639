"""Named queries for action steps: listing per relationship, and field-wise writes.

An update writes only the columns it was given, so two partners editing
different fields of one step at once both keep their change, and on one
field the later write wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from orm import records
from orm.models import ActionStep
from orm.records import ActionStepRecord


async def by_relationship(relationship_ids: Sequence[int]) -> list[list[ActionStepRecord]]:
    """Each relationship's steps by due date (undated last), then creation, in one query.

    Records, not models: a workspace lists every step of its relationship.
    """
    order = "t.due_on IS NULL, t.due_on, t.created_at, t.id"
    return await records.by_relationship(ActionStepRecord, "action_step", relationship_ids, order)


async def by_ids(step_ids: Sequence[int]) -> list[ActionStep | None]:
    """The steps with these ids, in order (None where there is none)."""
    found = {row.id: row for row in await ActionStep.filter(id__in=list(step_ids))}
    return [found.get(key) for key in step_ids]


async def one(step_id: int) -> ActionStep | None:
    return await ActionStep.get_or_none(id=step_id)


async def add(
    relationship_id: int,
    *,
    title: str,
    notes: str | None,
    due_on: date | None,
    owner_id: int,
    created_by_id: int,
    at: datetime,
) -> ActionStep:
    return await ActionStep.create(
        relationship_id=relationship_id,
        title=title,
        notes=notes,
        due_on=due_on,
        owner_id=owner_id,
        created_by_id=created_by_id,
        created_at=at,
        updated_at=at,
    )


async def update(step_id: int, changes: dict[str, Any], *, at: datetime) -> None:
    await ActionStep.filter(id=step_id).update(**changes, updated_at=at)


async def delete(step_id: int) -> bool:
    return await ActionStep.filter(id=step_id).delete() > 0
