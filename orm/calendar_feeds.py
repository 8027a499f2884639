"""Named queries for calendar feeds: one per member, found by its token's hash."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError

from orm.models import CalendarFeed


async def of_user(user_id: int) -> CalendarFeed | None:
    return await CalendarFeed.get_or_none(user_id=user_id)


async def by_token_hash(token_hash: str) -> CalendarFeed | None:
    """The feed with its member (whose locale the feed is written in), in one query."""
    return await CalendarFeed.filter(token_hash=token_hash).select_related("user").first()


async def create(user_id: int, *, nonce: str, token_hash: str, at: datetime) -> CalendarFeed:
    """The member's feed; when a concurrent request created it first, that one."""
    try:
        return await CalendarFeed.create(
            user_id=user_id, nonce=nonce, token_hash=token_hash, created_at=at
        )
    except IntegrityError:
        existing = await of_user(user_id)
        if existing is None:
            raise
        return existing


async def replace(user_id: int, *, nonce: str, token_hash: str, at: datetime) -> CalendarFeed:
    """A new token for the member's feed (created if there was none): the old one is gone."""
    updated = await CalendarFeed.filter(user_id=user_id).update(
        nonce=nonce, token_hash=token_hash, created_at=at
    )
    if updated:
        feed = await of_user(user_id)
        assert feed is not None
        return feed
    return await create(user_id, nonce=nonce, token_hash=token_hash, at=at)
