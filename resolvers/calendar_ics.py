"""A calendar feed as RFC 5545 text, built with the `icalendar` library.

One VEVENT per meeting: the UID stays the meeting's for good, SEQUENCE is
the meeting's change count, DTSTAMP its last change (so the same meetings
always give the same bytes, and the entity tag holds), STATUS CONFIRMED or
CANCELLED. The summary names the partner and the channel, in the member's
language (their `locale`: calendar apps send no useful Accept-Language);
the location is the place or link. Agendas, reasons and messages never leave the service.

Building a VEVENT with `icalendar` costs about 0.75 ms (its property
encoding and line folding; 155 ms for 200 meetings on this machine), while
a feed's events rarely change between polls. So each event's text is kept,
keyed by everything it shows (a change to the meeting or the partner's name
is another key), and the calendar is the calendar's own lines around the
events' texts: what `Calendar.to_ical` writes, for a fraction of the cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from orm.vocabulary import Channel
from resolvers.calendar_feed import FeedContent
from resolvers.catalogue import Text, _
from resolvers.language import Language

PRODUCT = "-//Mentoring//Meetings//EN"
# Event texts kept: about 300 bytes each, a few megabytes in all.
EVENTS_KEPT = 20_000
END = b"END:VCALENDAR\r\n"
CHANNEL_LABELS: dict[str, Text] = {
    Channel.PRIVATE_MESSAGE.value: _("platform chat"),
    Channel.EMAIL.value: _("e-mail"),
    Channel.PHONE.value: _("phone call"),
    Channel.VIDEO_CALL.value: _("video call"),
}


def _utc(moment: datetime) -> datetime:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class _Shown:
    """Everything one VEVENT shows: the key of its kept text."""

    uid: str
    changed: datetime
    starts_at: datetime
    ends_at: datetime
    sequence: int
    status: str
    summary: str
    location: str


@lru_cache(maxsize=EVENTS_KEPT)
def _summary_and_channel(partner: str, channel: str, language: Language) -> tuple[str, str]:
    """The summary and the channel's name: the same few pairs for every meeting of a member."""
    label = CHANNEL_LABELS.get(channel)
    named = label.in_language(language) if label is not None else channel.lower()
    summary = _("Mentoring with {partner} ({channel})", partner=partner, channel=named)
    return summary.in_language(language), named


def _shown(row: dict[str, Any], user_id: int, host: str, language: Language) -> _Shown:
    partner = row["mentee_name"] if row["mentor_user_id"] == user_id else row["mentor_name"]
    summary, channel = _summary_and_channel(partner, row["channel"], language)
    return _Shown(
        uid=f"meeting-{row['id']}@{host}",
        changed=_utc(row["updated_at"]),
        starts_at=_utc(row["starts_at"]),
        ends_at=_utc(row["ends_at"]),
        sequence=row["sequence"],
        status=row["status"],
        summary=summary,
        location=row["location"] or channel,
    )


@lru_cache(maxsize=EVENTS_KEPT)
def _event_text(shown: _Shown) -> bytes:
    event = Event()
    event.add("uid", shown.uid)
    event.add("dtstamp", shown.changed)
    event.add("dtstart", shown.starts_at)
    event.add("dtend", shown.ends_at)
    event.add("sequence", shown.sequence)
    event.add("status", shown.status)
    event.add("summary", shown.summary)
    event.add("location", shown.location)
    text: bytes = event.to_ical()
    return text


@lru_cache(maxsize=len(Language))
def _calendar_head(language: Language) -> bytes:
    """The calendar's own lines, up to where its events go."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Mentoring meetings").in_language(language))
    text: bytes = calendar.to_ical()
    assert text.endswith(END)
    return text.removesuffix(END)


def calendar_text(content: FeedContent, public_url: str) -> bytes:
    host = urlsplit(public_url).hostname or "localhost"
    language = content.language
    events = [_event_text(_shown(row, content.user_id, host, language)) for row in content.meetings]
    return b"".join((_calendar_head(language), *events, END))
