"""Named queries for feedback on finished relationships."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError

from orm.models import Feedback


class FeedbackExists(Exception):
    pass


async def give(
    *, relationship_id: int, author_id: int, rating: int, comment: str | None, at: datetime
) -> Feedback:
    """Store one participant's feedback; the unique index keeps it to once each."""
    if await Feedback.exists(relationship_id=relationship_id, author_id=author_id):
        raise FeedbackExists()
    try:
        return await Feedback.create(
            relationship_id=relationship_id,
            author_id=author_id,
            rating=rating,
            comment=comment,
            created_at=at,
        )
    except IntegrityError:
        # Two submissions raced past the check above: the unique index decides.
        raise FeedbackExists() from None
