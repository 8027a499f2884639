"""Members as other members see them (no e-mail address), shared by every domain."""

from __future__ import annotations

import strawberry

from orm.models import User as UserRow
from resolvers import moderation
from resolvers.ids import Kind, global_id, key_of
from schema.core.context import Context, Info
from schema.core.deferred import Later, deferred
from schema.identity import Node
from schema.permissions import IsModerator


async def user_of(context: Context, user_id: int) -> UserRow:
    user = await context.loaders.user.load(user_id)
    assert user is not None, "foreign keys keep every referenced user"
    return user


async def _display_name(context: Context, user_id: int) -> str:
    return (await user_of(context, user_id)).display_name


def member_id(user_id: int) -> strawberry.ID:
    """A person's global id: their `Member`'s, and their own `User`'s (the same)."""
    return strawberry.ID(global_id(Kind.MEMBER, user_id))


async def resolve_suspended(root: strawberry.Parent[Member], info: Info) -> bool | None:
    key = key_of(root.id, Kind.MEMBER)
    assert key is not None, "a Member's id is a member id"
    return await moderation.is_suspended_member(
        info.context.loaders, await info.context.viewer(), key
    )


@strawberry.type(
    description="A person as other members see them (no e-mail address): the sender of "
    "messages, the proposer of terms, the giver of feedback, the owner behind a profile. "
    "The viewer's own `User` has the same id as its `Member`."
)
class Member(Node):
    display_name: Later[str] = strawberry.field(
        graphql_type=str, description="The name the member goes by, as they set it."
    )
    suspended: bool | None = strawberry.field(
        resolver=resolve_suspended,
        permission_classes=[IsModerator],
        description="Whether a moderator suspended the member (moderators only: FORBIDDEN, "
        "and null, for anyone else).",
    )

    @classmethod
    def from_row(cls, row: UserRow) -> Member:
        return cls.named(row.id, row.display_name)

    @classmethod
    def named(cls, user_id: int, display_name: str) -> Member:
        return cls(id=member_id(user_id), display_name=display_name)

    @classmethod
    def from_id(cls, context: Context, user_id: int) -> Member:
        """A member whose name is loaded only if selected (`sender { id }` needs none)."""
        return cls(id=member_id(user_id), display_name=deferred(_display_name, context, user_id))


# Members the caller already knows, by user id: the two participants of a
# conversation, read with the relationship (one object each, which all their
# messages share).
Known = dict[int, Member]


def member(context: Context, user_id: int, known: Known | None) -> Member:
    found = known.get(user_id) if known else None
    return found if found is not None else Member.from_id(context, user_id)
