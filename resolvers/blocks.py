"""Blocking: a member stops another from seeing or reaching them, and the reverse.

After `blockMember` the two vanish from each other's search, suggestions
(a hard filter of the scoring SQL, `orm.eligibility`), match scores and
`node`; neither may request the other; a request open between them is
withdrawn (or declined, by its mentor) and a running relationship ends,
so that the partner hears RELATIONSHIP_ENDED; messages between them are
refused (NOT_FOUND). Blocking twice, or unblocking a member not blocked,
changes nothing and is no error. Blocking oneself is BAD_USER_INPUT; a
member the viewer cannot see is NOT_FOUND, as one that does not exist.
"""

from __future__ import annotations

from datetime import datetime

from orm import member_blocks
from orm import relationships as rows
from orm.member_blocks import Blocked
from orm.models import User
from resolvers import severing
from resolvers.catalogue import _
from resolvers.errors import BadUserInput, NotFound
from resolvers.ids import parse_id
from resolvers.lifecycle import Outbox
from resolvers.loaders import Loaders


async def _member(loaders: Loaders, viewer: User, member_id: str) -> int:
    key = parse_id(member_id, what="member")
    if key == viewer.id:
        raise BadUserInput("memberId", _("You cannot block yourself."))
    # Whom the viewer knows: a partner of any relationship, a public mentor,
    # or a member already hidden by a block (who can be blocked, or
    # unblocked, by the id the viewer kept).
    user = await loaders.user.load(key)
    if user is None:
        raise NotFound("member")
    circle = await loaders.circle.load(viewer.id)
    if key in circle.partner_user_ids or key in circle.hidden_user_ids:
        return key
    mentor = await loaders.mentor_by_user.load(key)
    if mentor is None or not mentor.is_complete:
        raise NotFound("member")
    return key


async def block_member(
    viewer: User, member_id: str, *, loaders: Loaders, now: datetime, outbox: Outbox
) -> User:
    """Block the member (idempotent); what ran between the two ends in the same transaction."""
    key = await _member(loaders, viewer, member_id)
    await severing.settle_for(viewer.id, now, outbox)
    async with rows.transaction():
        await member_blocks.block(viewer.id, key, now)
        ended = await severing.end_running(viewer.id, key, now)
    outbox.add(*ended)
    return viewer


async def unblock_member(viewer: User, member_id: str, *, loaders: Loaders) -> User:
    """Lift the viewer's own block (idempotent); a block the other made stays."""
    key = await _member(loaders, viewer, member_id)
    await member_blocks.unblock(viewer.id, key)
    return viewer


async def blocked_members(viewer: User) -> list[Blocked]:
    """The members the viewer blocked, the most recent first."""
    return await member_blocks.blocked_by(viewer.id)
