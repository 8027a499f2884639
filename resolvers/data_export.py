"""`myData`: everything stored about the viewer, as one JSON document (GDPR Art. 15, 20).

The shape is documented, field by field, in `docs/data-export.md`, and
versioned (`version`); a test holds the two together. It holds the
viewer's own data in full, and of anyone else only what the viewer already
sees: partners' ids and display names, their contact links only while the
relationship shows them (never after it was declined, withdrawn, expired or
ended), and the conversations the viewer takes part in, opened. Never a
partner's e-mail address, nor anything of a member the viewer blocked
beyond the block itself.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from orm import data_export as rows
from orm import member_blocks
from orm.encryption import UndecryptableMessage
from orm.member_keys import MessageKeys
from orm.messages import body_of
from orm.models import MenteeProfile, MentorProfile, Relationship, User
from orm.relationships import CONTACTS_VISIBLE
from orm.vocabulary import RelationshipStatus, ViewerRole
from resolvers import account_settings, notification_settings
from resolvers.ids import Kind, global_id
from resolvers.lifecycle import role_of

FORMAT = "mentoring-data-export"
VERSION = 1
# What a message shows whose key is gone (its author erased their account).
UNREADABLE = None


def _instant(value: datetime | None) -> str | None:
    if value is None:
        return None
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _member(user_id: int, display_name: str) -> dict[str, Any]:
    return {"id": global_id(Kind.MEMBER, user_id), "displayName": display_name}


def _profile_fields(profile: MentorProfile | MenteeProfile) -> dict[str, Any]:
    return {
        "headline": profile.headline,
        "bio": profile.bio,
        "country": profile.country,
        "city": profile.city,
        "timezone": profile.timezone,
        "languages": list(profile.languages),
        "industry": profile.industry,
        "fieldOfStudy": profile.field_of_study,
        "yearsOfExperience": profile.years_of_experience,
        "topics": list(profile.topics),
        "channels": list(profile.channels),
        "contactLinks": list(profile.contact_links),
        "createdAt": _instant(profile.created_at),
        "updatedAt": _instant(profile.updated_at),
    }


def _mentor(profile: MentorProfile | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {
        "id": global_id(Kind.MENTOR, profile.id),
        **_profile_fields(profile),
        "capacity": profile.capacity,
        "acceptingMentees": profile.accepting_mentees,
    }


def _mentee(profile: MenteeProfile | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {
        "id": global_id(Kind.MENTEE, profile.id),
        **_profile_fields(profile),
        "situation": profile.situation,
        "targetCountry": profile.target_country,
        "goals": profile.goals,
    }


def _by_relationship(items: list[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for item in items:
        grouped[item.relationship_id].append(item)
    return grouped


def _opened(message: Any, keys: MessageKeys) -> str | None:
    try:
        return body_of(message, keys)
    except UndecryptableMessage:
        return UNREADABLE


def _relationship(
    viewer: User, row: Relationship, grouped: dict[str, Any], keys: MessageKeys
) -> dict[str, Any]:
    role = role_of(viewer.id, row)
    mine = role is ViewerRole.MENTOR
    partner_profile = row.mentee if mine else row.mentor
    partner_user = partner_profile.user
    status = RelationshipStatus(row.status)
    key = row.id
    return {
        "id": global_id(Kind.RELATIONSHIP, key),
        "role": role.value,
        "status": status.value,
        "partner": {
            **_member(partner_user.id, partner_user.display_name),
            "contactLinks": list(partner_profile.contact_links)
            if status in CONTACTS_VISIBLE
            else [],
        },
        "createdAt": _instant(row.created_at),
        "respondedAt": _instant(row.responded_at),
        "endedAt": _instant(row.ended_at),
        "startsOn": _day(row.starts_on),
        "endsOn": _day(row.ends_on),
        "requestTopics": list(row.request_topics),
        "requestGoals": row.request_goals,
        "declineReason": row.decline_reason,
        "endReason": row.end_reason,
        "agreements": [
            {
                "id": global_id(Kind.AGREEMENT, a.id),
                "version": a.version,
                "status": a.status,
                "proposedByViewer": a.proposed_by_id == viewer.id,
                "goals": list(a.goals),
                "topics": list(a.topics),
                "expectations": a.expectations,
                "cadence": a.cadence,
                "channels": list(a.channels),
                "startsOn": _day(a.starts_on),
                "endsOn": _day(a.ends_on),
                "createdAt": _instant(a.created_at),
                "acceptedAt": _instant(a.accepted_at),
            }
            for a in grouped["agreements"].get(key, [])
        ],
        "actionSteps": [
            {
                "id": global_id(Kind.ACTION_STEP, s.id),
                "title": s.title,
                "notes": s.notes,
                "dueOn": _day(s.due_on),
                "ownedByViewer": s.owner_id == viewer.id,
                "createdByViewer": s.created_by_id == viewer.id,
                "doneAt": _instant(s.done_at),
                "createdAt": _instant(s.created_at),
                "updatedAt": _instant(s.updated_at),
            }
            for s in grouped["action_steps"].get(key, [])
        ],
        "meetings": [
            {
                "id": global_id(Kind.MEETING, m.id),
                "startsAt": _instant(m.starts_at),
                "durationMinutes": m.duration_minutes,
                "channel": m.channel,
                "location": m.location,
                "agenda": m.agenda,
                "status": m.status,
                "proposedByViewer": m.proposed_by_id == viewer.id,
                "cancelReason": m.cancel_reason,
                "createdAt": _instant(m.created_at),
            }
            for m in grouped["meetings"].get(key, [])
        ],
        "feedback": [
            {
                "id": global_id(Kind.FEEDBACK, f.id),
                "givenByViewer": f.author_id == viewer.id,
                "rating": f.rating,
                "comment": f.comment,
                "createdAt": _instant(f.created_at),
            }
            for f in grouped["feedback"].get(key, [])
        ],
        "messages": [
            {
                "id": global_id(Kind.MESSAGE, m.id),
                "sentByViewer": m.sender_id == viewer.id,
                "sentAt": _instant(m.created_at),
                "body": _opened(m, keys),
            }
            for m in grouped["messages"].get(key, [])
        ],
    }


async def my_data(viewer: User, keys: MessageKeys, *, now: datetime) -> dict[str, Any]:
    """The viewer's export, version VERSION (docs/data-export.md)."""
    mentor, mentee = await rows.profiles_of(viewer.id)
    switches = await notification_settings.settings_of(viewer)
    relationships = await rows.relationships_of(viewer.id)
    shared = await rows.shared_rows([row.id for row in relationships])
    grouped = {
        "agreements": _by_relationship(shared.agreements),
        "action_steps": _by_relationship(shared.action_steps),
        "meetings": _by_relationship(shared.meetings),
        "feedback": _by_relationship(shared.feedback),
        "messages": _by_relationship(shared.messages),
    }
    blocked = await member_blocks.blocked_by(viewer.id)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exportedAt": _instant(now),
        "account": {
            "id": global_id(Kind.MEMBER, viewer.id),
            "email": viewer.email,
            "displayName": viewer.display_name,
            "locale": account_settings.locale_of(viewer).value,
            "createdAt": _instant(viewer.created_at),
        },
        "notificationSettings": {
            "requestReceived": switches.request_received,
            "requestAnswered": switches.request_answered,
            "requestReminders": switches.request_reminders,
            "agreementProposed": switches.agreement_proposed,
            "unreadMessages": switches.unread_messages,
            "meetingReminders": switches.meeting_reminders,
        },
        "profiles": {"mentor": _mentor(mentor), "mentee": _mentee(mentee)},
        "relationships": [_relationship(viewer, row, grouped, keys) for row in relationships],
        "blocks": [
            {"member": _member(each.user_id, each.display_name), "at": _instant(each.at)}
            for each in blocked
        ],
        "reportsMade": [
            {
                "id": global_id(Kind.REPORT, report.id),
                "member": _member(report.reported_id, report.reported_name),
                "reason": report.reason,
                "details": report.details,
                "status": report.status,
                "createdAt": _instant(report.created_at),
                "messageIds": [global_id(Kind.MESSAGE, key) for key in report.message_ids],
            }
            for report in await rows.reports_made(viewer.id)
        ],
    }
