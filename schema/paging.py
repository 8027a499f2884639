"""Cursor paging shared by every connection type (Relay's PageInfo)."""

from __future__ import annotations

import strawberry


@strawberry.type(description="Where a page of a connection sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Paging forwards (`first`/`after`): more items follow this page. "
        "Paging backwards: true when the page was read `before` a cursor."
    )
    has_previous_page: bool = strawberry.field(
        description="Paging backwards (`last`/`before`): more items come before this page. "
        "Paging forwards it may be false even so, as the Relay specification allows "
        "(searchMentors always answers false)."
    )
    start_cursor: str | None = strawberry.field(
        description="The first item's cursor (null on an empty page): pass as `before` "
        "for the page before, where the connection pages backwards."
    )
    end_cursor: str | None = strawberry.field(
        description="The last item's cursor (null on an empty page): pass as `after` "
        "for the next page."
    )
