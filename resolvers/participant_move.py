"""A participant's move: settle, lock, authorise, change, commit, report.

    async with participant_move(viewer, relationship_id, Action.END, ...) as move:
        reason = validation.text(...)  # the action's input, checked here
        move.set(ended_at=now)         # and any writes of the action's own

Everything inside the block and the status change commit together or not at
all; the committed transition then goes to the request's outbox. The block
runs only for a participant whose role may take the action in the current
status, so an action checks its input inside it: whoever is not a
participant gets NOT_FOUND whatever they send, and learns nothing from how
their input would have been judged.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from orm import relationships as rows
from orm.models import User
from orm.vocabulary import RelationshipStatus
from resolvers import settling
from resolvers.errors import NotFound
from resolvers.ids import parse_id
from resolvers.lifecycle import Action, Outbox, next_status, role_of
from resolvers.moves import Move, apply


@asynccontextmanager
async def participant_move(
    viewer: User, relationship_id: str, action: Action, *, now: datetime, outbox: Outbox
) -> AsyncIterator[Move]:
    key = parse_id(relationship_id, what="relationship")
    # Time-decided statuses first, committed on their own: an action on a
    # request that has just expired meets EXPIRED, and the expiry stands
    # even when the action is refused. The whole mentor's, so that places
    # freed by completed relationships count when this move takes one.
    outbox.add(*await settling.settle(now, rows.Scope(mentor_of_relationship=key)))
    async with rows.transaction():
        row = await rows.locked(key)
        if row is None:
            raise NotFound("relationship")
        role = role_of(viewer.id, row)
        before = RelationshipStatus(row.status)
        move = Move(row, action, before, next_status(before, action, role), now, role, viewer.id)
        yield move
        await apply(move)
    outbox.add(move.transition())
