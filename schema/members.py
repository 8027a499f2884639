"""Members as other members see them (no e-mail address), shared by every domain."""

from __future__ import annotations

import strawberry

from orm.models import User as UserRow
from schema.context import Info


@strawberry.type(description="Another member as participants see them: no e-mail address.")
class Member:
    id: strawberry.ID = strawberry.field(description="The member's user id.")
    display_name: str

    @classmethod
    def from_row(cls, row: UserRow) -> Member:
        return cls(id=strawberry.ID(str(row.id)), display_name=row.display_name)


async def load_user(info: Info, user_id: int) -> UserRow:
    user = await info.context.loaders.user.load(user_id)
    assert user is not None, "foreign keys keep every referenced user"
    return user
