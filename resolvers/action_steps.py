"""Action steps: the concrete steps partners agree on, and tick off.

Either participant adds, edits, completes or deletes a step while the
relationship is open (`resolvers.partnership`); the partner hears of each
change (ACTION_STEP_CHANGED). An update names only the fields it changes,
and only those are written (`orm.action_steps.update`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from orm import action_steps as rows
from orm import relationships
from orm.models import ActionStep, User
from orm.rules import due
from orm.vocabulary import EventKind
from resolvers import validation
from resolvers.agreements import add_months
from resolvers.catalogue import _
from resolvers.errors import BadUserInput, NotFound
from resolvers.ids import Kind, key_of, parse_id
from resolvers.lifecycle import Outbox
from resolvers.partnership import Partners, partners

MAX_TITLE = 200
MAX_NOTES = 4000
# A due date a plan can hold: from today to three years ahead.
LATEST_DUE_MONTHS = 36
STEP = "action step"


def _title(value: str | None) -> str:
    if value is None:
        raise BadUserInput("title", _("must not be empty."))
    return validation.required_text("title", value, max_length=MAX_TITLE)


def _notes(value: str | None) -> str | None:
    return validation.text("notes", value, max_length=MAX_NOTES, multiline=True)


def _due_on(value: date | None, now: datetime) -> date | None:
    if value is None:
        return None
    today = due.today(now)
    latest = add_months(today, LATEST_DUE_MONTHS)
    if not today <= value <= latest:
        raise BadUserInput(
            "dueOn", _("must be between {today} and {latest}.", today=today, latest=latest)
        )
    return value


def _owner(value: str | None, seen: Partners) -> int:
    key = key_of(value, Kind.MEMBER) if value is not None else None
    if key is None or key not in seen.user_ids:
        raise BadUserInput("ownerId", _("must be the id of one of the two participants."))
    return key


async def add_action_step(
    viewer: User,
    relationship_id: str,
    *,
    title: str,
    notes: str | None,
    due_on: date | None,
    owner_id: str | None,
    now: datetime,
    outbox: Outbox,
) -> ActionStep:
    key = parse_id(relationship_id, what="relationship")
    async with relationships.transaction():
        seen = await partners(viewer.id, key, lock=True)
        seen.require_open(_("The relationship is {status}: you cannot add action steps."))
        step = await rows.add(
            key,
            title=_title(title),
            notes=_notes(notes),
            due_on=_due_on(due_on, now),
            owner_id=viewer.id if owner_id is None else _owner(owner_id, seen),
            created_by_id=viewer.id,
            at=now,
        )
    seen.tell_partner(outbox, EventKind.ACTION_STEP_CHANGED, now)
    return step


async def _step_of_viewer(viewer: User, step_id: str) -> tuple[ActionStep, Partners]:
    """The step and its relationship, locked; NOT_FOUND unless the viewer takes part."""
    step = await rows.one(parse_id(step_id, what=STEP))
    if step is None:
        raise NotFound(STEP)
    seen = await partners(viewer.id, step.relationship_id, lock=True, what=STEP)
    # Read again under the relationship's lock: the partner may have deleted it.
    locked = await rows.one(step.id)
    if locked is None:
        raise NotFound(STEP)
    return locked, seen


def _changes(
    sent: dict[str, Any], seen: Partners, step: ActionStep, now: datetime
) -> dict[str, Any]:
    """The columns to write, from the input fields the client sent (camelCase)."""
    changes: dict[str, Any] = {}
    if "title" in sent:
        changes["title"] = _title(sent["title"])
    if "notes" in sent:
        changes["notes"] = _notes(sent["notes"])
    if "dueOn" in sent:
        changes["due_on"] = _due_on(sent["dueOn"], now)
    if "ownerId" in sent:
        changes["owner_id"] = _owner(sent["ownerId"], seen)
    if "done" in sent:
        done = sent["done"]
        if done is None:
            raise BadUserInput("done", _("must be true or false."))
        # Ticking off a done step again keeps when it was done.
        if not done:
            changes["done_at"] = None
        elif step.done_at is None:
            changes["done_at"] = now
    return changes


async def update_action_step(
    viewer: User, step_id: str, sent: dict[str, Any], *, now: datetime, outbox: Outbox
) -> ActionStep:
    async with relationships.transaction():
        step, seen = await _step_of_viewer(viewer, step_id)
        seen.require_open(_("The relationship is {status}: you cannot change action steps."))
        changes = _changes(sent, seen, step, now)
        if changes:
            await rows.update(step.id, changes, at=now)
        updated = await rows.one(step.id)
    assert updated is not None, "the relationship's lock keeps the step"
    if changes:
        seen.tell_partner(outbox, EventKind.ACTION_STEP_CHANGED, now)
    return updated


async def delete_action_step(viewer: User, step_id: str, *, now: datetime, outbox: Outbox) -> bool:
    async with relationships.transaction():
        step, seen = await _step_of_viewer(viewer, step_id)
        seen.require_open(_("The relationship is {status}: you cannot delete action steps."))
        deleted = await rows.delete(step.id)
    if deleted:
        seen.tell_partner(outbox, EventKind.ACTION_STEP_CHANGED, now)
    return deleted
