"""The database half of erasing an account: one call, inside the caller's transaction.

The `user` row stays (relationships, messages and feedback of partners point
at it), overwritten: an address no one can own (so that the real one can
register again), the name partners then see, no password, `erased_at` set.
Profiles stay for the same reason (a relationship points at its profiles),
emptied and out of search and suggestions; contact links go with them.
Sessions, settings, the calendar feed, presence, digests, queued e-mails to
the member and blocks, either way, are deleted. The bodies of the member's
messages are overwritten in the live database (`ERASED_KEY_ID`); copies in
backups stay sealed with their data key, which the caller destroys after
commit (`orm.member_keys`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.expressions import Q

from orm.member_keys import ERASED_KEY_ID
from orm.models import (
    CalendarFeed,
    Feedback,
    MemberBlock,
    MenteeProfile,
    MentorProfile,
    Message,
    Notification,
    NotificationSettings,
    Presence,
    Relationship,
    Session,
    UnreadDigest,
    User,
)
from orm.vocabulary import DeliveryStatus, Locale

DELETED_NAME = "Deleted member"
# `.invalid` is reserved (RFC 2606): no one receives mail there, no one registers it.
ERASED_DOMAIN = "erased.invalid"

_EMPTY_PROFILE: dict[str, Any] = {
    "headline": None,
    "bio": None,
    "country": None,
    "city": None,
    "timezone": None,
    "languages": [],
    "industry": None,
    "field_of_study": None,
    "years_of_experience": None,
    "topics": [],
    "channels": [],
    "contact_links": [],
    "is_complete": False,
}


def erased_email(user_id: int) -> str:
    return f"member-{user_id}@{ERASED_DOMAIN}"


async def erase_account(user_id: int, now: datetime) -> list[str]:
    """Overwrite and delete what the account holds; the ids of its sessions that were live."""
    live = await Session.filter(
        user_id=user_id, revoked_at__isnull=True, expires_at__gt=now
    ).values_list("id", flat=True)
    await Session.filter(user_id=user_id).delete()
    await User.filter(id=user_id).update(
        email=erased_email(user_id),
        display_name=DELETED_NAME,
        password_hash="",
        locale=Locale.EN,
        erased_at=now,
    )
    await MentorProfile.filter(user_id=user_id).update(
        **_EMPTY_PROFILE, capacity=None, accepting_mentees=False, topic_mask=0
    )
    await MenteeProfile.filter(user_id=user_id).update(
        **_EMPTY_PROFILE, situation=None, target_country=None, goals=None
    )
    for model in (NotificationSettings, CalendarFeed, Presence, UnreadDigest):
        await model.filter(user_id=user_id).delete()
    await Notification.filter(recipient_id=user_id, status=DeliveryStatus.PENDING).delete()
    await MemberBlock.filter(Q(blocker_id=user_id) | Q(blocked_id=user_id)).delete()
    # What the member wrote into shared rows: their messages, their requests'
    # goals and their feedback's words.
    await Message.filter(sender_id=user_id).update(body_sealed=b"", key_id=ERASED_KEY_ID)
    mentee_ids = await MenteeProfile.filter(user_id=user_id).values_list("id", flat=True)
    await Relationship.filter(mentee_id__in=list(mentee_ids)).update(request_goals=None)
    await Feedback.filter(author_id=user_id).update(comment=None)
    return [str(session_id) for session_id in live]


async def erased_user_ids() -> list[int]:
    """Every erased account, by user id."""
    found: list[int] = await User.filter(erased_at__isnull=False).values_list(  # type: ignore[assignment]
        "id", flat=True
    )
    return found
