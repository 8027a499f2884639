"""Working together inside a relationship: who takes part, and while when.

Action steps and meetings belong to a relationship; its two participants
work on them while it is ACCEPTED, ACTIVE or COMPLETED (as messages are
open). Anyone else gets NOT_FOUND, whatever they name: a relationship, a
step or a meeting of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from orm import relationships as rows
from orm.models import Relationship
from orm.relationships import CONTACTS_VISIBLE
from orm.rules import sides
from orm.vocabulary import EventKind, RelationshipStatus
from resolvers.catalogue import Text
from resolvers.errors import Conflict, NotFound
from resolvers.lifecycle import Announcement, Outbox

OPEN = CONTACTS_VISIBLE  # ACCEPTED, ACTIVE, COMPLETED


@dataclass(frozen=True)
class Partners:
    """A relationship, seen by one of its participants."""

    relationship: Relationship
    viewer_id: int
    partner_id: int

    @property
    def user_ids(self) -> tuple[int, int]:
        return (self.viewer_id, self.partner_id)

    def require_open(self, refusal: Text) -> None:
        """CONFLICT with `refusal` (a text with a `{status}`) unless the relationship is open."""
        status = RelationshipStatus(self.relationship.status)
        if status not in OPEN:
            raise Conflict(refusal.with_params(status=status.value))

    def tell_partner(self, outbox: Outbox, kind: EventKind, now: datetime) -> None:
        """Announce `kind` to the partner after commit (a viewer event, on every process)."""
        outbox.announce(Announcement(kind, self.relationship.id, now, (self.partner_id,)))


async def partners(
    viewer_id: int, relationship_id: int, *, lock: bool = False, what: str = "relationship"
) -> Partners:
    """The relationship as the viewer's, locked for the transaction if asked; NOT_FOUND
    (of `what` the viewer named) for whoever takes no part in it."""
    row = await (rows.locked(relationship_id) if lock else rows.one(relationship_id))
    if row is None:
        raise NotFound(what)
    partner = sides.partner_of(viewer_id, row.mentor.user_id, row.mentee.user_id)
    if partner is None:
        raise NotFound(what)
    return Partners(row, viewer_id, partner)
