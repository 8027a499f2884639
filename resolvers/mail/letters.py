"""From an outbox row to the e-mail it sends: who it is for, what it says, its links.

The words come from the templates (`resolvers.mail.rendering`) in the
recipient's locale; the values are names, counts, times and links only, never what
anyone wrote (no message, no request text, no decline reason, no contact
link, no meeting agenda; a meeting's place or link is its address, as in the
calendar feed). Links start at PUBLIC_URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from typing import Any
from urllib.parse import quote

from orm.outbox import Outgoing
from orm.vocabulary import ABOUT_A_RELATIONSHIP, SETTING_OF, NotificationKind
from resolvers.ids import Kind, global_id
from resolvers.mail.compose import Addressing, compose, message_id
from resolvers.mail.meeting_times import meeting_time, recipient_zone
from resolvers.mail.rendering import render
from resolvers.mail.transports import Envelope
from resolvers.unsubscribe import UnsubscribeLinks

# A request expires after this many days unanswered (see resolvers.settling).
REQUEST_DAYS = 14
# Kinds whose button leads to other mentors rather than to the relationship.
TO_MENTORS = frozenset({NotificationKind.REQUEST_DECLINED, NotificationKind.REQUEST_EXPIRED})


@dataclass(frozen=True)
class Links:
    public_url: str

    def relationship(self, relationship_id: int) -> str:
        # The id the API shows, so the web app opens it with `node(id)` as it would from a list.
        return f"{self.public_url}/relationships/{global_id(Kind.RELATIONSHIP, relationship_id)}"

    def home(self) -> str:
        return f"{self.public_url}/"

    def mentors(self) -> str:
        return f"{self.public_url}/mentors"

    def settings(self) -> str:
        return f"{self.public_url}/settings"

    def unsubscribe(self, token: str) -> str:
        return f"{self.public_url}/unsubscribe?token={quote(token, safe='')}"


def partner_name(row: Outgoing) -> str | None:
    """The other participant's display name, as the recipient sees them."""
    if row.recipient_id == row.mentor_user_id:
        return row.mentee_name
    return row.mentor_name


class Letters:
    def __init__(self, sender: Address, public_url: str, links: UnsubscribeLinks) -> None:
        self.sender = sender
        self.service = sender.display_name or "Mentoring"
        self.links = Links(public_url)
        self.unsubscribe_links = links

    def _action_url(self, row: Outgoing) -> str:
        if row.kind not in ABOUT_A_RELATIONSHIP:
            return self.links.home()
        if row.kind in TO_MENTORS:
            return self.links.mentors()
        assert row.relationship_id is not None, "sent only while the relationship exists"
        return self.links.relationship(row.relationship_id)

    def _values(self, row: Outgoing, unread: int, unsubscribe_url: str | None) -> dict[str, Any]:
        values: dict[str, Any] = {
            "service": self.service,
            "recipient_name": row.display_name,
            "partner_name": partner_name(row),
            "action_url": self._action_url(row),
            "unsubscribe_url": unsubscribe_url,
            "settings_url": self.links.settings(),
        }
        if row.kind is NotificationKind.REQUEST_REMINDER:
            day = row.reminder_day or 0
            values |= {"day": day, "days_left": REQUEST_DAYS - day}
        if row.kind is NotificationKind.UNREAD_MESSAGES:
            values["count"] = unread
        if row.kind is NotificationKind.MEETING_REMINDER:
            assert row.meeting is not None, "the sender skips reminders of meetings gone"
            when = meeting_time(row.meeting, recipient_zone(row), row.locale)
            values |= {
                "date": when.date,
                "time": when.time,
                "timezone": when.zone,
                "minutes": row.meeting.duration_minutes,
                "channel": row.meeting.channel,
                "location": row.meeting.location,
            }
        return values

    def envelope(self, row: Outgoing, *, unread: int, now: datetime) -> Envelope:
        setting = SETTING_OF.get(row.kind)
        unsubscribe_url = (
            None
            if setting is None
            else self.links.unsubscribe(
                self.unsubscribe_links.token(row.recipient_id, row.email, setting)
            )
        )
        rendered = render(row.kind, row.locale, self._values(row, unread, unsubscribe_url))
        local, _, domain = row.email.rpartition("@")
        addressing = Addressing(
            sender=self.sender,
            recipient=Address(display_name=row.display_name, username=local, domain=domain),
            unsubscribe_url=unsubscribe_url,
        )
        message = compose(
            rendered,
            addressing,
            locale=row.locale,
            date=now,
            message_id=message_id(row.id, row.created_at, self.sender.domain),
        )
        return Envelope(
            notification_id=row.id,
            created_at=row.created_at,
            sender=self.sender.addr_spec,
            recipient=row.email,
            subject=rendered.subject,
            data=message.as_bytes(),
        )
