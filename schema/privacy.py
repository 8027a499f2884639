"""Privacy and safety in GraphQL: one's data, blocking members, erasing one's account."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from resolvers import blocks, data_export, erasure
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


async def resolve_delete_account(
    info: Info,
    password: Annotated[
        str, strawberry.argument(description="The account's password, to confirm it is its owner.")
    ],
) -> bool:
    viewer = await info.context.require_viewer()
    context = info.context
    services = context.services
    return await erasure.delete_account(
        viewer,
        password,
        passwords=services.passwords,
        limiter=services.rate_limiter,
        keys=services.message_keys,
        hub=services.hub,
        client_address=context.client_address,
        now=context.now(),
        outbox=context.outbox,
    )


async def resolve_my_data(info: Info) -> JSON:
    viewer = await info.context.require_viewer()
    services = info.context.services
    document: dict[str, Any] = await data_export.my_data(
        viewer, services.message_keys, now=info.context.now()
    )
    return document  # type: ignore[return-value]


@strawberry.type
class PrivacyQueries:
    my_data: JSON = strawberry.field(
        resolver=resolve_my_data,
        permission_classes=[IsAuthenticated],
        description="Everything stored about the viewer, as one JSON document (GDPR Art. 15 "
        "and 20): account, profiles, relationships with their terms, action steps, meetings, "
        "feedback given and received and messages (opened), notification settings and "
        "blocks. Of others, only what the viewer already sees. The shape is versioned "
        "(`version`) and documented in the project's docs/data-export.md.",
    )


@strawberry.type
class PrivacyMutations:
    delete_account: bool = strawberry.mutation(
        resolver=resolve_delete_account,
        permission_classes=[IsAuthenticated],
        description="Erase the account for good (true): every session ends at once (live "
        "sockets close with 4403); e-mail address, name, password, profiles, contact links "
        "and settings are gone; open requests are withdrawn and running relationships end "
        "(partners are told, and see a deleted member); the messages the member wrote can "
        "no longer be read by anyone, in the live database or in any backup, as their key "
        "is destroyed. The e-mail address may register again. A wrong password is "
        "UNAUTHENTICATED, changes nothing and counts as a failed sign-in.",
    )
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
