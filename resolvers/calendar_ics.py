"""A calendar feed as RFC 5545 text, built with the `icalendar` library.

One VEVENT per meeting: the UID stays the meeting's for good, SEQUENCE is
the meeting's change count, DTSTAMP its last change (so the same meetings
always give the same bytes, and the entity tag holds), STATUS CONFIRMED or
CANCELLED. The summary names the partner and the channel; the location is
the place or link. Agendas, reasons and messages never leave the service.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from orm.vocabulary import Channel
from resolvers.calendar_feed import FeedContent

PRODUCT = "-//Mentoring//Meetings//EN"
CHANNEL_LABELS: dict[str, str] = {
    Channel.PRIVATE_MESSAGE.value: "platform chat",
    Channel.EMAIL.value: "e-mail",
    Channel.PHONE.value: "phone call",
    Channel.VIDEO_CALL.value: "video call",
}


def _utc(moment: datetime) -> datetime:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC)


def _event(row: dict[str, Any], user_id: int, host: str) -> Event:
    partner = row["mentee_name"] if row["mentor_user_id"] == user_id else row["mentor_name"]
    channel = CHANNEL_LABELS.get(row["channel"], row["channel"].lower())
    event = Event()
    event.add("uid", f"meeting-{row['id']}@{host}")
    event.add("dtstamp", _utc(row["updated_at"]))
    event.add("dtstart", _utc(row["starts_at"]))
    event.add("dtend", _utc(row["ends_at"]))
    event.add("sequence", row["sequence"])
    event.add("status", row["status"])
    event.add("summary", f"Mentoring with {partner} ({channel})")
    event.add("location", row["location"] or channel)
    return event


def calendar_text(content: FeedContent, public_url: str) -> bytes:
    host = urlsplit(public_url).hostname or "localhost"
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Mentoring meetings")
    for row in content.meetings:
        calendar.add_component(_event(row, content.user_id, host))
    text: bytes = calendar.to_ical()
    return text
