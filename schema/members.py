"""Members as other members see them (no e-mail address), shared by every domain."""

from __future__ import annotations

import strawberry

from orm.models import User as UserRow
from schema.context import Info


async def load_user(info: Info, user_id: int) -> UserRow:
    user = await info.context.loaders.user.load(user_id)
    assert user is not None, "foreign keys keep every referenced user"
    return user


@strawberry.type(description="Another member as participants see them: no e-mail address.")
class Member:
    id: strawberry.ID = strawberry.field(description="The member's user id.")
    # Known rows are kept; a member made from an id alone loads its row only
    # when a field needs it (a message's `sender { id }` needs none).
    row: strawberry.Private[UserRow | None] = None

    @strawberry.field
    async def display_name(self, info: Info) -> str:
        row = self.row if self.row is not None else await load_user(info, int(self.id))
        return row.display_name

    @classmethod
    def from_row(cls, row: UserRow) -> Member:
        return cls(id=strawberry.ID(str(row.id)), row=row)

    @classmethod
    def from_id(cls, user_id: int) -> Member:
        return cls(id=strawberry.ID(str(user_id)))
