"""Ending what runs between a member and others, when they block someone or leave.

Each running relationship moves as its participant would move it: an open
request is withdrawn (the member is its mentee) or declined (its mentor);
an accepted or active relationship ends, so that the partner hears
RELATIONSHIP_ENDED. The moves go through the state machine's one writer
(`resolvers.moves.apply`), so places, e-mails and events follow as always.
"""

from __future__ import annotations

from datetime import datetime

from orm import relationships as rows
from orm.models import Relationship
from orm.vocabulary import RelationshipStatus
from resolvers import settling
from resolvers.lifecycle import (
    MENTEE,
    MENTOR,
    SERVICE,
    Action,
    Outbox,
    Transition,
    next_status,
    role_of,
)
from resolvers.moves import Move, apply

S = RelationshipStatus

# The action that takes a running relationship out of running, by its status.
_ENDING = {
    (S.REQUESTED, MENTEE): Action.WITHDRAW_REQUEST,
    (S.REQUESTED, MENTOR): Action.DECLINE_REQUEST,
    (S.ACCEPTED, MENTEE): Action.END,
    (S.ACCEPTED, MENTOR): Action.END,
    (S.ACTIVE, MENTEE): Action.END,
    (S.ACTIVE, MENTOR): Action.END,
}


def ending(row: Relationship, now: datetime, *, by: int | None) -> Move:
    """The move that takes a running relationship out of running.

    Made by participant `by` as their role allows (withdraw, decline or
    end), or with `by=None` by the service, which only withdraws requests.
    """
    before = S(row.status)
    if by is None:
        action = Action.WITHDRAW_REQUEST
        return Move(row, action, before, next_status(before, action, SERVICE), now)
    role = role_of(by, row)
    action = _ENDING[(before, role)]
    move = Move(row, action, before, next_status(before, action, role), now, role, by)
    if action is Action.END:
        move.set(ended_at=now)
    elif action is Action.DECLINE_REQUEST:
        move.set(responded_at=now)
    return move


async def end_running(user_id: int, partner_id: int | None, now: datetime) -> list[Transition]:
    """End the user's running relationships (with `partner_id` only, if given).

    Runs inside the caller's transaction, which it needs: a status that
    changed meanwhile refuses the whole (CONFLICT), as any move does.
    """
    ended: list[Transition] = []
    for row in await rows.running_of(user_id, partner_id=partner_id):
        move = ending(row, now, by=user_id)
        await apply(move)
        ended.append(move.transition())
    return ended


async def settle_for(user_id: int, now: datetime, outbox: Outbox) -> None:
    """What time decided for the user's relationships, committed first (as every move does)."""
    scope = (await rows.sides_of(user_id)).scope()
    if scope is not None:
        outbox.add(*await settling.settle(now, scope))
