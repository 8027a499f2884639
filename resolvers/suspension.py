"""Suspending and reinstating a member: what a suspension does at once.

In one transaction the member is marked suspended, every session of theirs
revoked and the moderator's entry appended to the log. After the commit
their open requests (made or received) are withdrawn, each as a move of the
state machine by the service (the partner hears REQUEST_WITHDRAWN), and
every live socket of theirs, on every process, is closed with 4403 (the
revocation notices of `resolvers.events`). From then on their token is no
longer accepted, signing in answers SUSPENDED (`resolvers.accounts`), and
search and suggestions leave their profiles out (`orm.rules.suspension`).
Reinstating lifts the suspension, and nothing else: the requests stay
withdrawn.
"""

from __future__ import annotations

from datetime import datetime

from orm import moderation as rows
from orm import relationships as relationship_rows
from orm.models import ModerationEntry, User
from orm.vocabulary import ModerationAction, RelationshipStatus
from resolvers import events, severing
from resolvers.errors import Conflict
from resolvers.hub import Hub
from resolvers.lifecycle import SERVICE, Transition
from resolvers.moves import apply


async def suspend(
    moderator: User,
    member: User,
    reason: str,
    *,
    now: datetime,
    report_id: int | None = None,
) -> tuple[ModerationEntry, list[str]]:
    """Suspend and log, in the caller's transaction: the entry and the sessions revoked.

    A member suspended already stays so (their suspension keeps its time).
    """
    revoked = await rows.suspend(member.id, now)
    entry = await rows.record(
        moderator.id, member.id, ModerationAction.SUSPEND, reason, now, report_id=report_id
    )
    return entry, revoked or []


async def after_suspension(
    hub: Hub, member_id: int, revoked: list[str], now: datetime
) -> list[Transition]:
    """What follows the committed suspension: sockets closed, open requests withdrawn."""
    for session_id in revoked:
        await events.publish_revocation(hub, session_id)
    return await _withdraw_open_requests(member_id, now)


async def _withdraw_open_requests(member_id: int, now: datetime) -> list[Transition]:
    # After the commit, so each withdrawal stands alone: one answered
    # meanwhile is skipped, not a reason to undo the others.
    withdrawn: list[Transition] = []
    open_requests = (RelationshipStatus.REQUESTED,)
    for row in await relationship_rows.running_of(member_id, statuses=open_requests):
        move = severing.ending(row, now, by=SERVICE)
        try:
            async with relationship_rows.transaction():
                await apply(move)
        except Conflict:
            continue  # answered meanwhile
        withdrawn.append(move.transition())
    return withdrawn


async def reinstate(
    moderator: User, member: User, reason: str, *, now: datetime
) -> ModerationEntry:
    """Lift the suspension and log it, in the caller's transaction."""
    await rows.reinstate(member.id)
    return await rows.record(moderator.id, member.id, ModerationAction.REINSTATE, reason, now)
