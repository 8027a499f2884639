"""The relationship state machine, in one table.

`MOVES` lists every allowed (status, action, actor) and the status it leads
to. Anything absent is refused: FORBIDDEN when the actor's role may never
take that action, CONFLICT when the role may but the current status forbids
it. Whoever is not one of the two participants gets NOT_FOUND (`role_of`),
so that the relationship's existence is never revealed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from orm.models import Relationship
from orm.relationships import HOLDING_A_PLACE
from orm.rules import sides
from orm.rules.sides import read_marker as read_marker
from orm.vocabulary import EventKind, RelationshipStatus, ViewerRole
from resolvers.catalogue import Text, _
from resolvers.errors import Conflict, Forbidden, NotFound

S = RelationshipStatus
MENTOR, MENTEE = ViewerRole.MENTOR, ViewerRole.MENTEE
BOTH = (MENTOR, MENTEE)
# The actor of moves the service makes by itself (expiry, completion, suspension).
SERVICE = None
Actor = ViewerRole | None


class Action(Enum):
    # English names of the moves; refusals say them in whole sentences (CANNOT, ONLY below).
    REQUEST = "request mentoring"
    ACCEPT_REQUEST = "accept the request"
    DECLINE_REQUEST = "decline the request"
    WITHDRAW_REQUEST = "withdraw the request"
    EXPIRE = "expire the request"
    PROPOSE_AGREEMENT = "propose an agreement"
    ACCEPT_AGREEMENT = "accept an agreement"
    COMPLETE = "complete the relationship"
    END = "end the relationship"
    GIVE_FEEDBACK = "give feedback"


A = Action
MOVES: dict[tuple[S | None, Action, Actor], S] = {
    (None, A.REQUEST, MENTEE): S.REQUESTED,
    (S.REQUESTED, A.ACCEPT_REQUEST, MENTOR): S.ACCEPTED,
    (S.REQUESTED, A.DECLINE_REQUEST, MENTOR): S.DECLINED,
    (S.REQUESTED, A.WITHDRAW_REQUEST, MENTEE): S.WITHDRAWN,
    (S.REQUESTED, A.EXPIRE, SERVICE): S.EXPIRED,
    # A member suspended by a moderator: their open requests are withdrawn.
    (S.REQUESTED, A.WITHDRAW_REQUEST, SERVICE): S.WITHDRAWN,
    (S.ACTIVE, A.COMPLETE, SERVICE): S.COMPLETED,
    # COMPLETED: a proposal extends the relationship; its acceptance revives it.
    **{(s, A.PROPOSE_AGREEMENT, r): s for s in (S.ACCEPTED, S.ACTIVE, S.COMPLETED) for r in BOTH},
    **{
        (s, A.ACCEPT_AGREEMENT, r): S.ACTIVE
        for s in (S.ACCEPTED, S.ACTIVE, S.COMPLETED)
        for r in BOTH
    },
    **{(s, A.END, r): S.ENDED for s in (S.ACCEPTED, S.ACTIVE) for r in BOTH},
    **{(s, A.GIVE_FEEDBACK, r): s for s in (S.COMPLETED, S.ENDED) for r in BOTH},
}

# What each action tells the participants (viewerEvents); None: nothing.
EVENTS: dict[Action, EventKind | None] = {
    A.REQUEST: EventKind.REQUEST_RECEIVED,
    A.ACCEPT_REQUEST: EventKind.REQUEST_ACCEPTED,
    A.DECLINE_REQUEST: EventKind.REQUEST_DECLINED,
    A.WITHDRAW_REQUEST: EventKind.REQUEST_WITHDRAWN,
    A.EXPIRE: EventKind.REQUEST_EXPIRED,
    A.PROPOSE_AGREEMENT: EventKind.AGREEMENT_PROPOSED,
    A.ACCEPT_AGREEMENT: EventKind.AGREEMENT_ACCEPTED,
    A.COMPLETE: None,
    A.END: EventKind.RELATIONSHIP_ENDED,
    A.GIVE_FEEDBACK: None,
}


# The refusals, whole sentences: German puts the verb of "accept the request"
# at the end of the sentence, so a phrase cannot be slotted into a frame.
CANNOT: dict[Action, Text] = {
    A.REQUEST: _("The relationship is {state}: you cannot request mentoring."),
    A.ACCEPT_REQUEST: _("The relationship is {state}: you cannot accept the request."),
    A.DECLINE_REQUEST: _("The relationship is {state}: you cannot decline the request."),
    A.WITHDRAW_REQUEST: _("The relationship is {state}: you cannot withdraw the request."),
    A.EXPIRE: _("The relationship is {state}: the request cannot expire."),
    A.PROPOSE_AGREEMENT: _("The relationship is {state}: you cannot propose an agreement."),
    A.ACCEPT_AGREEMENT: _("The relationship is {state}: you cannot accept an agreement."),
    A.COMPLETE: _("The relationship is {state}: it cannot be completed."),
    A.END: _("The relationship is {state}: you cannot end the relationship."),
    A.GIVE_FEEDBACK: _("The relationship is {state}: you cannot give feedback."),
}
ONLY: dict[Action, Text] = {
    A.REQUEST: _("Only the mentee can request mentoring."),
    A.ACCEPT_REQUEST: _("Only the mentor can accept the request."),
    A.DECLINE_REQUEST: _("Only the mentor can decline the request."),
    A.WITHDRAW_REQUEST: _("Only the mentee can withdraw the request."),
}
# The moves only the service makes (expiry, completion).
NOT_YOURS = _("Only the service itself does this.")


def next_status(status: S | None, action: Action, actor: Actor) -> S:
    """The status `action` leads to, or the refusal the table implies."""
    target = MOVES.get((status, action, actor))
    if target is not None:
        return target
    actors = {role for (_before, act, role) in MOVES if act is action}
    if actor not in actors:
        raise Forbidden(ONLY.get(action, NOT_YOURS))
    state = status.value if status else _("not yet requested")
    raise Conflict(CANNOT[action].with_params(state=state))


def place_change(before: S | None, after: S) -> int:
    """+1 when a move takes one of the mentor's places, -1 when it frees one."""
    return int(after in HOLDING_A_PLACE) - int(before in HOLDING_A_PLACE)


def role_of(user_id: int, relationship: Relationship) -> ViewerRole:
    """The user's side of the relationship; NOT_FOUND for anyone else."""
    return side_of(user_id, relationship.mentor.user_id, relationship.mentee.user_id)


def side_of(user_id: int, mentor_user_id: int, mentee_user_id: int) -> ViewerRole:
    """The user's side, given both participants' user ids; NOT_FOUND for anyone else."""
    side = sides.side_of(user_id, mentor_user_id, mentee_user_id)
    if side is None:
        raise NotFound("relationship")
    return side


def partner_of(user_id: int, mentor_user_id: int, mentee_user_id: int) -> int:
    """The other participant's user id; NOT_FOUND when the user takes no part."""
    partner = sides.partner_of(user_id, mentor_user_id, mentee_user_id)
    if partner is None:
        raise NotFound("relationship")
    return partner


@dataclass(frozen=True)
class Participation:
    """A relationship as one participant sees it."""

    relationship: Relationship
    role: ViewerRole


@dataclass(frozen=True)
class Transition:
    """What one committed move did, for publishing without reading it again."""

    relationship: Relationship
    action: Action
    before: S | None
    after: S
    at: datetime
    actor_id: int | None  # the acting user; None when the service moved it
    user_ids: tuple[int, int]  # the mentor's and the mentee's user

    @property
    def event(self) -> EventKind | None:
        return EVENTS[self.action]


@dataclass(frozen=True)
class Announcement:
    """Something committed inside a relationship that is no move of its status
    (an action step changed, a meeting proposed): who is to hear of it."""

    kind: EventKind
    relationship_id: int
    at: datetime
    user_ids: tuple[int, ...]


@dataclass
class Outbox:
    """The transitions committed while serving one request, oldest first.

    Reads settle due relationships too (expiry, completion), so transitions
    arise outside mutations and even before a refusal; collecting them here
    lets the publisher (`schema.core.publishing`) send every one after commit.
    Announcements travel the same way.
    """

    transitions: list[Transition] = field(default_factory=list)
    announcements: list[Announcement] = field(default_factory=list)

    def add(self, *transitions: Transition) -> None:
        self.transitions.extend(transitions)

    def announce(self, announcement: Announcement) -> None:
        self.announcements.append(announcement)

    def drain(self) -> list[Transition]:
        drained, self.transitions = self.transitions, []
        return drained

    def drain_announcements(self) -> list[Announcement]:
        drained, self.announcements = self.announcements, []
        return drained
