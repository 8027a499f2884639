"""Meetings: one side proposes a time, the other confirms or declines, either cancels.

A meeting may not be proposed in the past, nor confirmed over another
confirmed meeting of either participant (in any of their relationships):
the members' rows are locked while that is checked, so two confirmations
for one person cannot both pass. Each change is announced to the partner.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from orm import meetings as rows
from orm import relationships
from orm.meetings import Booked
from orm.models import Meeting, User
from orm.vocabulary import Channel, EventKind, MeetingStatus
from resolvers import validation
from resolvers.catalogue import Text, _
from resolvers.errors import BadUserInput, Conflict, Forbidden, NotFound
from resolvers.ids import parse_id
from resolvers.lifecycle import Outbox
from resolvers.partnership import Partners, partners

MIN_MINUTES, MAX_MINUTES = 15, 240
MAX_LOCATION = 500
MAX_AGENDA = 4000
MAX_REASON = 1000
# How far ahead a meeting may be planned: further is a typo.
LATEST_START = timedelta(days=3 * 365)
MEETING = "meeting"
S = MeetingStatus


@dataclass(frozen=True)
class ProposedMeeting:
    """A meeting as a client proposes it, before validation."""

    starts_at: datetime
    duration_minutes: int
    channel: Channel
    location: str | None
    agenda: str | None


def _utc(moment: datetime) -> datetime:
    """In UTC; a time without an offset is read as UTC, as the API states."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC)


def _location(value: str | None) -> str | None:
    """A place in words, or a link: links must be https:// (a client makes them clickable)."""
    text = validation.text("location", value, max_length=MAX_LOCATION)
    if text is not None and ("://" in text or text.lower().startswith("www.")):
        return validation.https_url("location", text, max_length=MAX_LOCATION)
    return text


@dataclass(frozen=True)
class ValidMeeting:
    """A proposal that passed validation: the meeting's columns."""

    starts_at: datetime
    ends_at: datetime
    duration_minutes: int
    channel: str
    location: str | None
    agenda: str | None


def _validated(proposed: ProposedMeeting, now: datetime) -> ValidMeeting:
    starts_at = _utc(proposed.starts_at)
    if starts_at <= now:
        raise BadUserInput("startsAt", _("must be in the future."))
    if starts_at > now + LATEST_START:
        raise BadUserInput("startsAt", _("must be at most three years ahead."))
    minutes = proposed.duration_minutes
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise BadUserInput(
            "durationMinutes",
            _(
                "must be between {min_minutes} and {max_minutes}.",
                min_minutes=MIN_MINUTES,
                max_minutes=MAX_MINUTES,
            ),
        )
    return ValidMeeting(
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        duration_minutes=minutes,
        channel=proposed.channel.value,
        location=_location(proposed.location),
        agenda=validation.text("agenda", proposed.agenda, max_length=MAX_AGENDA, multiline=True),
    )


def _clash(booked: Booked, seen: Partners) -> Text:
    """Which participant is not free; the partner's other meetings stay theirs."""
    if seen.viewer_id in booked.user_ids:
        start = _utc(booked.starts_at).strftime("%Y-%m-%d %H:%M")
        end = _utc(booked.ends_at).strftime("%Y-%m-%d %H:%M")
        return _(
            "You have a confirmed meeting from {start} to {end} UTC at that time.",
            start=start,
            end=end,
        )
    return _("Your partner has another confirmed meeting at that time.")


async def _require_free(
    seen: Partners, starts_at: datetime, ends_at: datetime, *, besides: int | None = None
) -> None:
    await rows.lock_users(seen.user_ids)
    booked = await rows.confirmed_overlapping(seen.user_ids, starts_at, ends_at, besides=besides)
    if booked:
        raise Conflict(_clash(booked[0], seen))


async def propose_meeting(
    viewer: User, relationship_id: str, proposed: ProposedMeeting, *, now: datetime, outbox: Outbox
) -> Meeting:
    key = parse_id(relationship_id, what="relationship")
    async with relationships.transaction():
        seen = await partners(viewer.id, key, lock=True)
        seen.require_open(_("The relationship is {status}: you cannot propose meetings."))
        valid = _validated(proposed, now)
        await _require_free(seen, valid.starts_at, valid.ends_at)
        meeting = await rows.propose(key, viewer.id, now, **asdict(valid))
    seen.tell_partner(outbox, EventKind.MEETING_PROPOSED, now)
    return meeting


async def _meeting_of_viewer(viewer: User, meeting_id: str) -> tuple[Meeting, Partners]:
    """The meeting and its relationship, locked; NOT_FOUND unless the viewer takes part."""
    found = await rows.one(parse_id(meeting_id, what=MEETING))
    if found is None:
        raise NotFound(MEETING)
    seen = await partners(viewer.id, found.relationship_id, lock=True, what=MEETING)
    meeting = await rows.one(found.id)  # again, under the lock
    assert meeting is not None, "meetings are never deleted"
    return meeting, seen


async def _reread(meeting_id: int) -> Meeting:
    meeting = await rows.one(meeting_id)
    assert meeting is not None, "meetings are never deleted"
    return meeting


async def respond_to_meeting(
    viewer: User, meeting_id: str, accept: bool, *, now: datetime, outbox: Outbox
) -> Meeting:
    async with relationships.transaction():
        meeting, seen = await _meeting_of_viewer(viewer, meeting_id)
        seen.require_open(_("The relationship is {status}: you cannot answer meetings."))
        if meeting.proposed_by_id == viewer.id:
            raise Forbidden(
                _("Only the other side can confirm or decline the meeting you proposed.")
            )
        if meeting.status != S.PROPOSED.value:
            raise Conflict(
                _("The meeting is {status}: it can no longer be answered.", status=meeting.status)
            )
        if _utc(meeting.starts_at) <= now:
            raise Conflict(_("The meeting's time has passed: propose a new one."))
        if accept:
            await _require_free(seen, meeting.starts_at, meeting.ends_at, besides=meeting.id)
            changed = await rows.change_status(
                meeting.id, (S.PROPOSED,), S.CONFIRMED, at=now, confirmed_at=now
            )
        else:
            changed = await rows.change_status(meeting.id, (S.PROPOSED,), S.DECLINED, at=now)
        if not changed:
            raise Conflict(_("The meeting changed meanwhile: load it again."))
        answered = await _reread(meeting.id)
    kind = EventKind.MEETING_CONFIRMED if accept else EventKind.MEETING_DECLINED
    seen.tell_partner(outbox, kind, now)
    return answered


async def cancel_meeting(
    viewer: User, meeting_id: str, reason: str | None, *, now: datetime, outbox: Outbox
) -> Meeting:
    async with relationships.transaction():
        meeting, seen = await _meeting_of_viewer(viewer, meeting_id)
        if meeting.status not in (S.PROPOSED.value, S.CONFIRMED.value):
            raise Conflict(
                _("The meeting is {status}: it can no longer be cancelled.", status=meeting.status)
            )
        if _utc(meeting.ends_at) <= now:
            raise Conflict(_("The meeting is over: it can no longer be cancelled."))
        text = validation.text("reason", reason, max_length=MAX_REASON, multiline=True)
        changed = await rows.change_status(
            meeting.id, (S.PROPOSED, S.CONFIRMED), S.CANCELLED, at=now, cancel_reason=text
        )
        if not changed:
            raise Conflict(_("The meeting changed meanwhile: load it again."))
        cancelled = await _reread(meeting.id)
    seen.tell_partner(outbox, EventKind.MEETING_CANCELLED, now)
    return cancelled
