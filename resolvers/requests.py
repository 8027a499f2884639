"""Mentoring requests: asking, and the answers (accept, decline, withdraw).

Request hygiene, so that mentors are not flooded: a mentee holds at most
three open requests, never two to the same mentor, none to a mentor they
already work with, and none to a mentor who declined them in the last 90
days (the rule suggestions apply, `orm.blocking`); unanswered requests
expire (see `settling`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from orm import blocking, member_blocks, messages
from orm import profiles as profile_rows
from orm import relationships as rows
from orm.member_keys import MessageKeys
from orm.models import MenteeProfile, MentorProfile, User
from orm.rules.accepting import accepts_mentees
from orm.rules.suspension import is_suspended
from orm.vocabulary import RelationshipStatus, Topic
from resolvers import completeness, ratelimit, settling, validation
from resolvers.catalogue import _
from resolvers.errors import Conflict, NotFound, ProfileIncomplete
from resolvers.ids import parse_id
from resolvers.lifecycle import MENTEE, Action, Outbox, Participation, next_status
from resolvers.moves import Move, apply
from resolvers.participant_move import participant_move
from resolvers.profiles import visible_to
from resolvers.ratelimit import POLICIES, RateLimiter

MIN_MESSAGE = 50
MAX_MESSAGE = 4000
MAX_GOALS = 2000
MAX_REASON = 1000
MAX_OPEN_REQUESTS = 3


async def _requesting_mentee(viewer: User) -> MenteeProfile:
    mentee = await profile_rows.mentee_of(viewer)
    if mentee is None or not mentee.is_complete:
        missing = completeness.of_mentee(mentee or MenteeProfile()).missing_fields
        raise ProfileIncomplete(_("Complete your mentee profile to request mentoring."), missing)
    return mentee


async def _requested_mentor(viewer: User, mentor_key: int) -> MentorProfile:
    mentor = await profile_rows.mentor_by_id(mentor_key)
    if mentor is None or not visible_to(mentor, viewer.id):
        raise NotFound("mentor")
    if await member_blocks.between(viewer.id, mentor.user_id):
        raise NotFound("mentor")  # as for one that does not exist: a block is not revealed
    if mentor.user_id == viewer.id:
        raise Conflict(_("You cannot request mentoring from your own mentor profile."))
    # The owner comes with the profile (one statement): a suspended one takes no requests.
    if not mentor.is_complete or not accepts_mentees(mentor) or is_suspended(mentor.user):
        raise Conflict(_("This mentor is not accepting mentees at the moment."))
    return mentor


async def request_mentoring(
    viewer: User,
    *,
    limiter: RateLimiter,
    mentor_id: str,
    message: str,
    topics: Sequence[Topic] | None,
    goals: str | None,
    keys: MessageKeys,
    now: datetime,
    outbox: Outbox,
) -> Participation:
    await ratelimit.hit_for_user(limiter, POLICIES.mentoring_requests_per_user, viewer.id)
    body = validation.required_text(
        "message", message, min_length=MIN_MESSAGE, max_length=MAX_MESSAGE, multiline=True
    )
    goal_text = validation.text("goals", goals, max_length=MAX_GOALS, multiline=True)
    topic_values = [topic.value for topic in validation.unique(topics or ())]
    mentor_key = parse_id(mentor_id, what="mentor")
    mentee = await _requesting_mentee(viewer)
    # Expired requests stop counting against the limit below, and completed
    # relationships stop taking the mentor's places.
    scope = rows.Scope(mentee_id=mentee.id, mentor_id=mentor_key)
    outbox.add(*await settling.settle(now, scope))
    mentor = await _requested_mentor(viewer, mentor_key)
    async with rows.transaction():
        await rows.lock_mentee(mentee.id)
        unfinished = await rows.unfinished_of_mentee(mentee.id)
        if any(row.mentor_id == mentor.id for row in unfinished):
            raise Conflict(
                _("You already have an open request or a relationship with this mentor.")
            )
        if await blocking.declined_within_memory(mentee.id, mentor.id, now):
            days = blocking.DECLINE_MEMORY.days
            raise Conflict(
                _("This mentor declined your request less than {days} days ago.", days=days)
            )
        waiting = [row for row in unfinished if row.status == RelationshipStatus.REQUESTED.value]
        if len(waiting) >= MAX_OPEN_REQUESTS:
            raise Conflict(
                _(
                    "You have {count} open requests: wait for an answer or withdraw one.",
                    count=MAX_OPEN_REQUESTS,
                )
            )
        row = await rows.create_request(
            mentor_id=mentor.id, mentee_id=mentee.id, topics=topic_values, goals=goal_text, at=now
        )
        row.mentor, row.mentee = mentor, mentee
        await messages.add_message(
            keys, relationship_id=row.id, sender_id=viewer.id, body=body, at=now
        )
        requested = next_status(None, Action.REQUEST, MENTEE)
        move = Move(row, Action.REQUEST, None, requested, now, MENTEE, viewer.id)
        await apply(move)
    outbox.add(move.transition())
    return move.participation


async def accept_mentoring_request(
    viewer: User, relationship_id: str, *, now: datetime, outbox: Outbox
) -> Participation:
    async with participant_move(
        viewer, relationship_id, Action.ACCEPT_REQUEST, now=now, outbox=outbox
    ) as move:
        move.set(responded_at=now)
    return move.participation


async def decline_mentoring_request(
    viewer: User, relationship_id: str, reason: str | None, *, now: datetime, outbox: Outbox
) -> Participation:
    async with participant_move(
        viewer, relationship_id, Action.DECLINE_REQUEST, now=now, outbox=outbox
    ) as move:
        text = validation.text("reason", reason, max_length=MAX_REASON, multiline=True)
        move.set(responded_at=now, decline_reason=text)
    return move.participation


async def withdraw_mentoring_request(
    viewer: User, relationship_id: str, *, now: datetime, outbox: Outbox
) -> Participation:
    async with participant_move(
        viewer, relationship_id, Action.WITHDRAW_REQUEST, now=now, outbox=outbox
    ) as move:
        pass
    return move.participation
