"""Which moves of a relationship send an e-mail, and to whom.

Called by `resolvers.moves.apply` inside the move's transaction, so the
e-mail is queued exactly when the move commits (`orm.outbox`). Who is told:
the mentor of a new request, the mentee of an answer or an expiry, and the
partner of whoever proposed terms. Whether they want it is asked when it is
sent, so that switching a kind off stops e-mails already queued.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from orm import outbox
from orm.models import Relationship
from orm.vocabulary import NotificationKind
from resolvers.lifecycle import Action


class Recipient(Enum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    PARTNER = "partner"  # the participant who did not act


NOTIFIED: dict[Action, tuple[NotificationKind, Recipient]] = {
    Action.REQUEST: (NotificationKind.REQUEST_RECEIVED, Recipient.MENTOR),
    Action.ACCEPT_REQUEST: (NotificationKind.REQUEST_ACCEPTED, Recipient.MENTEE),
    Action.DECLINE_REQUEST: (NotificationKind.REQUEST_DECLINED, Recipient.MENTEE),
    Action.EXPIRE: (NotificationKind.REQUEST_EXPIRED, Recipient.MENTEE),
    Action.PROPOSE_AGREEMENT: (NotificationKind.AGREEMENT_PROPOSED, Recipient.PARTNER),
}


def recipient_of(
    recipient: Recipient, relationship: Relationship, actor_id: int | None
) -> int | None:
    mentor, mentee = relationship.mentor.user_id, relationship.mentee.user_id
    if recipient is Recipient.MENTOR:
        return mentor
    if recipient is Recipient.MENTEE:
        return mentee
    if actor_id == mentor:
        return mentee
    return mentor if actor_id == mentee else None


async def record_move(
    action: Action, relationship: Relationship, actor_id: int | None, at: datetime
) -> None:
    """Queue the e-mail `action` sends, if any, in the caller's transaction."""
    notified = NOTIFIED.get(action)
    if notified is None:
        return
    kind, recipient = notified
    user_id = recipient_of(recipient, relationship, actor_id)
    if user_id is not None:
        await outbox.queue(kind, user_id, relationship.id, at)
