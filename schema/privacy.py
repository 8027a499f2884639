"""Privacy and safety in GraphQL: blocking members."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import blocks
from schema.accounts import User
from schema.core.context import Info
from schema.permissions import IsAuthenticated

MEMBER = strawberry.argument(description="The member's id (a `Member`'s, as senders carry).")


async def resolve_block_member(info: Info, member_id: Annotated[strawberry.ID, MEMBER]) -> User:
    viewer = await info.context.require_viewer()
    context = info.context
    blocked = await blocks.block_member(
        viewer, member_id, loaders=context.loaders, now=context.now(), outbox=context.outbox
    )
    return User.from_row(blocked)


async def resolve_unblock_member(info: Info, member_id: Annotated[strawberry.ID, MEMBER]) -> User:
    viewer = await info.context.require_viewer()
    return User.from_row(
        await blocks.unblock_member(viewer, member_id, loaders=info.context.loaders)
    )


@strawberry.type
class PrivacyMutations:
    block_member: User = strawberry.mutation(
        resolver=resolve_block_member,
        permission_classes=[IsAuthenticated],
        description="Block a member: the two no longer find each other in search, "
        "suggestions (matchScore: not eligible) or `node`, and neither may request or "
        "message the other; a request open between them is withdrawn (declined, when the "
        "viewer is its mentor) and a running relationship ends (the partner hears "
        "RELATIONSHIP_ENDED). Idempotent: blocking a member already blocked changes nothing "
        "and is no error. Blocking oneself is BAD_USER_INPUT; an unknown member NOT_FOUND.",
    )
    unblock_member: User = strawberry.mutation(
        resolver=resolve_unblock_member,
        permission_classes=[IsAuthenticated],
        description="Lift the viewer's own block of a member (a block the other made stays). "
        "Idempotent: unblocking a member not blocked changes nothing and is no error. "
        "Relationships ended by the block stay ended.",
    )
