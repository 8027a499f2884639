"""Many queued e-mails at once: accepted requests of `count` mentees, for races and the bench."""

from __future__ import annotations

from datetime import datetime

from orm.models import MenteeProfile, MentorProfile, Notification, Relationship, User
from orm.vocabulary import DeliveryStatus, NotificationKind, RelationshipStatus

BATCH = 1000


async def queue_accepted_requests(count: int, now: datetime, *, prefix: str = "bulk") -> int:
    """One mentor who accepted `count` requests, and the REQUEST_ACCEPTED e-mail to each
    mentee queued; how many e-mails."""
    mentor_user = await User.create(
        email=f"{prefix}-mentor@example.org", display_name="Marta Mentor", password_hash="-"
    )
    mentor = await MentorProfile.create(user=mentor_user, capacity=count)
    await User.bulk_create(
        [
            User(
                email=f"{prefix}{index}@example.org",
                display_name=f"Mentee {index}",
                password_hash="-",
            )
            for index in range(count)
        ],
        batch_size=BATCH,
    )
    user_ids = await User.filter(email__startswith=prefix, id__gt=mentor_user.id).values_list(
        "id", flat=True
    )
    await MenteeProfile.bulk_create(
        [MenteeProfile(user_id=user_id) for user_id in user_ids], batch_size=BATCH
    )
    mentees = await MenteeProfile.filter(user_id__in=list(user_ids)).values_list("id", "user_id")
    await Relationship.bulk_create(
        [
            Relationship(
                mentor_id=mentor.id,
                mentee_id=mentee_id,
                status=RelationshipStatus.ACCEPTED.value,
                created_at=now,
                responded_at=now,
            )
            for mentee_id, _ in mentees
        ],
        batch_size=BATCH,
    )
    relationships = dict(
        await Relationship.filter(mentor_id=mentor.id).values_list("mentee_id", "id")
    )
    await Notification.bulk_create(
        [
            Notification(
                kind=NotificationKind.REQUEST_ACCEPTED,
                recipient_id=user_id,
                relationship_id=relationships[mentee_id],
                status=DeliveryStatus.PENDING,
                attempts=0,
                due_at=now,
                created_at=now,
            )
            for mentee_id, user_id in mentees
        ],
        batch_size=BATCH,
    )
    return len(mentees)
