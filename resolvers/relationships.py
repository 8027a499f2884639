"""Relationships as their participants read them, ending them, feedback."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from orm import feedback as feedback_rows
from orm import listing
from orm import relationships as rows
from orm.listing import Listed, Wanted
from orm.models import Feedback, User
from orm.vocabulary import RelationshipStatus, ViewerRole
from resolvers import settling, validation
from resolvers.catalogue import _
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.ids import parse_id
from resolvers.lifecycle import Action, Outbox, Participation, role_of, side_of
from resolvers.participant_move import participant_move

MAX_REASON = 1000
MAX_COMMENT = 2000
MIN_RATING, MAX_RATING = 1, 5


# A relationship as `orm.listing` read it, and the viewer's side of it.
Seen = tuple[Listed, ViewerRole]


async def my_relationships(
    viewer: User,
    statuses: Sequence[RelationshipStatus] | None,
    wanted: Wanted,
    *,
    now: datetime,
    outbox: Outbox,
) -> list[Seen]:
    """The viewer's relationships on either side, newest first; every status when none given.

    Read once; only when time has changed one of them (expiry, completion)
    are those settled first and the list read again.
    """
    found = await listing.of_user(viewer.id, wanted)
    if any(item.is_due(now) for item in found):
        scope = (await rows.sides_of(viewer.id)).scope()
        if scope is not None:
            outbox.add(*await settling.settle(now, scope))
        found = await listing.of_user(viewer.id, wanted)
    kept = {status.value for status in statuses or ()}
    return [
        (item, side_of(viewer.id, item.mentor_user_id, item.mentee_user_id))
        for item in found
        if not kept or item.relationship.status in kept
    ]


async def relationship(
    viewer: User, relationship_id: str, wanted: Wanted, *, now: datetime, outbox: Outbox
) -> Seen:
    """One relationship, for its participants only, as `orm.listing` reads it."""
    key = parse_id(relationship_id, what="relationship")
    found, due = await listing.one(key, viewer.id, wanted, now=now)
    if due:
        outbox.add(*await settling.settle(now, rows.Scope(mentor_of_relationship=key)))
        found, _due = await listing.one(key, viewer.id, wanted, now=now)
    if found is None:
        raise NotFound("relationship")
    return found, side_of(viewer.id, found.mentor_user_id, found.mentee_user_id)


async def participation(
    viewer: User, relationship_id: str, *, now: datetime, outbox: Outbox
) -> Participation:
    """The viewer's part in a relationship, settled first; NOT_FOUND for anyone else."""
    key = parse_id(relationship_id, what="relationship")
    outbox.add(*await settling.settle(now, rows.Scope(mentor_of_relationship=key)))
    row = await rows.one(key)
    if row is None:
        raise NotFound("relationship")
    return Participation(row, role_of(viewer.id, row))


async def end_relationship(
    viewer: User, relationship_id: str, reason: str | None, *, now: datetime, outbox: Outbox
) -> Participation:
    async with participant_move(
        viewer, relationship_id, Action.END, now=now, outbox=outbox
    ) as move:
        text = validation.text("reason", reason, max_length=MAX_REASON, multiline=True)
        move.set(ended_at=now, end_reason=text)
    return move.participation


async def give_feedback(
    viewer: User,
    relationship_id: str,
    rating: int,
    comment: str | None,
    *,
    now: datetime,
    outbox: Outbox,
) -> Feedback:
    async with participant_move(
        viewer, relationship_id, Action.GIVE_FEEDBACK, now=now, outbox=outbox
    ) as move:
        if not MIN_RATING <= rating <= MAX_RATING:
            raise BadUserInput(
                "rating",
                _(
                    "must be between {min_rating} and {max_rating}.",
                    min_rating=MIN_RATING,
                    max_rating=MAX_RATING,
                ),
            )
        text = validation.text("comment", comment, max_length=MAX_COMMENT, multiline=True)
        try:
            given = await feedback_rows.give(
                relationship_id=move.relationship.id,
                author_id=viewer.id,
                rating=rating,
                comment=text,
                at=now,
            )
        except feedback_rows.FeedbackExists:
            raise Conflict(_("You have already given feedback on this relationship.")) from None
    return given
