"""A meeting's time as its reminder states it: in the recipient's language and time zone.

The zone is the one of the recipient's profile on their side of the
relationship (an IANA name, checked when saved), else UTC. Dates and times
are written by Babel in the locale's own way ("Tuesday, December 1, 2026",
"3:00 PM"; "Dienstag, 1. Dezember 2026", "15:00"); the words around them are
the templates'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time

from orm.outbox import Outgoing, RemindedMeeting
from orm.vocabulary import Locale

UTC_NAME = "UTC"


@dataclass(frozen=True)
class MeetingTime:
    date: str
    time: str
    zone: str


def recipient_zone(row: Outgoing) -> str:
    """The recipient's time zone name in this relationship, else UTC."""
    name = row.mentor_timezone if row.recipient_id == row.mentor_user_id else row.mentee_timezone
    return name or UTC_NAME


def _zone(name: str) -> tuple[str, tzinfo]:
    try:
        return name, ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # A zone the system no longer knows: UTC, and saying so, beats no e-mail.
        return UTC_NAME, ZoneInfo(UTC_NAME)


def meeting_time(meeting: RemindedMeeting, zone_name: str, locale: Locale) -> MeetingTime:
    name, zone = _zone(zone_name)
    local = meeting.starts_at.astimezone(zone)
    language = locale.value.lower()
    return MeetingTime(
        date=format_date(local.date(), format="full", locale=language),
        time=format_time(local, format="short", tzinfo=zone, locale=language),
        zone=name,
    )
