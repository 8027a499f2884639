"""Cursor paging shared by every connection type (Relay's PageInfo)."""

from __future__ import annotations

import strawberry


@strawberry.type(description="Where a page of a connection sits in the whole list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool = strawberry.field(
        description="Forward paging reports false here, as the Relay specification allows."
    )
    start_cursor: str | None
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")
