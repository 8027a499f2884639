"""Writing one move of the state machine, inside the caller's transaction.

The status changes only if it is still the one the move started from, and
the mentor's count of places taken changes in the same transaction, and so
is the e-mail the move sends queued (`resolvers.notifying`), so that a
rolled-back move leaves no trace anywhere. A move that closes a relationship
(ended, expired, completed) cancels its meetings still to come in the same
transaction: calendars subscribed to the feed drop them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from orm import meetings
from orm import relationships as rows
from orm.models import Relationship
from orm.rules import responsiveness
from orm.vocabulary import RelationshipStatus, ViewerRole
from resolvers import notifying
from resolvers.catalogue import _
from resolvers.errors import Conflict
from resolvers.lifecycle import Action, Participation, Transition, place_change

S = RelationshipStatus
# Moves after which no meeting of the relationship is still to take place.
CLOSING = frozenset({S.ENDED, S.EXPIRED, S.COMPLETED})
# The moves that decide a request, counted for the mentor's responsiveness.
DECIDING = frozenset({Action.ACCEPT_REQUEST, Action.DECLINE_REQUEST, Action.EXPIRE})


@dataclass
class Move:
    relationship: Relationship
    action: Action
    before: S | None
    after: S
    at: datetime
    role: ViewerRole | None = None  # None: the service moves it
    actor_id: int | None = None
    changes: dict[str, Any] = field(default_factory=dict)

    def set(self, **changes: Any) -> None:
        """Columns to write along with the status."""
        self.changes.update(changes)

    @property
    def participation(self) -> Participation:
        assert self.role is not None
        return Participation(self.relationship, self.role)

    def transition(self) -> Transition:
        row = self.relationship
        return Transition(
            relationship=row,
            action=self.action,
            before=self.before,
            after=self.after,
            at=self.at,
            actor_id=self.actor_id,
            user_ids=(row.mentor.user_id, row.mentee.user_id),
        )


async def _write_status(relationship_id: int, before: S, after: S, changes: dict[str, Any]) -> None:
    if not await rows.move(relationship_id, before, after, **changes):
        raise Conflict(_("The relationship changed meanwhile: load it again."))


async def apply(move: Move) -> None:
    """Write the move; CONFLICT when the status changed meanwhile or no place is free."""
    row = move.relationship
    before = move.before  # None: the row was just created in this transaction
    if before is not None and (move.after is not before or move.changes):
        await _write_status(row.id, before, move.after, move.changes)
    places = place_change(move.before, move.after)
    if places:
        changed = await rows.change_places(row.mentor_id, places)
        if places > 0 and not changed:
            raise Conflict(_("The mentor has no free place: every place is taken."))
    if move.after in CLOSING and move.after is not before:
        await meetings.cancel_upcoming(row.id, move.at)
    if move.action in DECIDING:
        answered = move.action is not Action.EXPIRE
        quick = answered and responsiveness.is_quick(row.created_at, move.at)
        await rows.count_decision(row.mentor_id, quick=quick)
    row.status = move.after.value
    row.update_from_dict(move.changes)
    await notifying.record_move(move.action, row, move.actor_id, move.at)
