"""The fixed vocabularies of the domain, shared by every layer.

Values are what the database stores and what GraphQL exposes as enum values;
labels are what people read (in suggestion reasons, in GraphiQL docs).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum


def N_(text: str) -> str:
    """Marks an English text for the message catalogue; it is translated where it is read."""
    return text


class Topic(Enum):
    CAREER_PLANNING = "CAREER_PLANNING"
    APPLICATION_STRATEGY = "APPLICATION_STRATEGY"
    SOFT_SKILLS = "SOFT_SKILLS"
    LEADERSHIP = "LEADERSHIP"
    INTERCULTURAL_COMMUNICATION = "INTERCULTURAL_COMMUNICATION"
    SUBJECT_EXPERTISE = "SUBJECT_EXPERTISE"
    SELF_MARKETING = "SELF_MARKETING"
    NETWORKING = "NETWORKING"

    @property
    def label(self) -> str:
        return TOPIC_LABELS[self]


TOPIC_LABELS: dict[Topic, str] = {
    Topic.CAREER_PLANNING: N_("Career planning"),
    Topic.APPLICATION_STRATEGY: N_("Application strategy"),
    Topic.SOFT_SKILLS: N_("Soft skills"),
    Topic.LEADERSHIP: N_("Leadership"),
    Topic.INTERCULTURAL_COMMUNICATION: N_("Intercultural communication"),
    Topic.SUBJECT_EXPERTISE: N_("Subject expertise"),
    Topic.SELF_MARKETING: N_("Self-marketing"),
    Topic.NETWORKING: N_("Networking"),
}

TOPIC_DESCRIPTIONS: dict[Topic, str] = {
    Topic.CAREER_PLANNING: N_("Finding a direction: goals, options, next steps."),
    Topic.APPLICATION_STRATEGY: N_("CVs, cover letters, interviews, negotiating offers."),
    Topic.SOFT_SKILLS: N_("Communication, presenting, handling conflict."),
    Topic.LEADERSHIP: N_("Leading people and projects, first management role."),
    Topic.INTERCULTURAL_COMMUNICATION: N_("Working across cultures and countries."),
    Topic.SUBJECT_EXPERTISE: N_("Know-how in the mentor's own field."),
    Topic.SELF_MARKETING: N_("Visibility, personal brand, presenting one's strengths."),
    Topic.NETWORKING: N_("Building and using professional contacts."),
}


# Each topic's bit in `mentor_profile.topic_mask`: its position in `Topic`.
# Scoring and search test topic overlap with integer arithmetic on this mask
# instead of joining rows, so new topics are appended to `Topic`, never
# inserted or reordered (that would change the meaning of stored masks).
_POSITIONS: dict[Topic, int] = {topic: index for index, topic in enumerate(Topic)}


def topic_position(topic: Topic) -> int:
    return _POSITIONS[topic]


def topic_bit(topic: Topic) -> int:
    return 1 << topic_position(topic)


def topic_mask(values: Iterable[str]) -> int:
    """The bitmask of a list of topic values, as stored on a mentor profile."""
    mask = 0
    for value in values:
        mask |= topic_bit(Topic(value))
    return mask


class Situation(Enum):
    STUDIES = "STUDIES"
    CAREER_ENTRY = "CAREER_ENTRY"
    CAREER_REENTRY = "CAREER_REENTRY"
    JOB_CHANGE = "JOB_CHANGE"
    RELOCATION = "RELOCATION"
    OTHER = "OTHER"


class Channel(Enum):
    PRIVATE_MESSAGE = "PRIVATE_MESSAGE"
    EMAIL = "EMAIL"
    PHONE = "PHONE"
    VIDEO_CALL = "VIDEO_CALL"


class ContactKind(Enum):
    EMAIL = "EMAIL"
    PHONE = "PHONE"
    SKYPE = "SKYPE"
    GOOGLE = "GOOGLE"
    FACEBOOK = "FACEBOOK"
    LINKEDIN = "LINKEDIN"
    OTHER = "OTHER"


class Cadence(Enum):
    WEEKLY = "WEEKLY"
    BIWEEKLY = "BIWEEKLY"
    MONTHLY = "MONTHLY"
    AD_HOC = "AD_HOC"


class RelationshipStatus(Enum):
    REQUESTED = "REQUESTED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    WITHDRAWN = "WITHDRAWN"
    EXPIRED = "EXPIRED"
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    ENDED = "ENDED"


class AgreementStatus(Enum):
    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    SUPERSEDED = "SUPERSEDED"


class ViewerRole(Enum):
    MENTOR = "MENTOR"
    MENTEE = "MENTEE"


class EventKind(Enum):
    REQUEST_RECEIVED = "REQUEST_RECEIVED"
    REQUEST_ACCEPTED = "REQUEST_ACCEPTED"
    REQUEST_DECLINED = "REQUEST_DECLINED"
    REQUEST_WITHDRAWN = "REQUEST_WITHDRAWN"
    REQUEST_EXPIRED = "REQUEST_EXPIRED"
    AGREEMENT_PROPOSED = "AGREEMENT_PROPOSED"
    AGREEMENT_ACCEPTED = "AGREEMENT_ACCEPTED"
    RELATIONSHIP_ENDED = "RELATIONSHIP_ENDED"
    MESSAGE_RECEIVED = "MESSAGE_RECEIVED"
    ACTION_STEP_CHANGED = "ACTION_STEP_CHANGED"
    MEETING_PROPOSED = "MEETING_PROPOSED"
    MEETING_CONFIRMED = "MEETING_CONFIRMED"
    MEETING_DECLINED = "MEETING_DECLINED"
    MEETING_CANCELLED = "MEETING_CANCELLED"


class MeetingStatus(Enum):
    PROPOSED = "PROPOSED"
    CONFIRMED = "CONFIRMED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"


class Locale(Enum):
    """The language a member reads: e-mails, and responses without Accept-Language."""

    DE = "DE"
    EN = "EN"


class NotificationKind(Enum):
    """What an e-mail tells its recipient; each belongs to one switch (`NotificationSetting`)."""

    REQUEST_RECEIVED = "REQUEST_RECEIVED"
    REQUEST_ACCEPTED = "REQUEST_ACCEPTED"
    REQUEST_DECLINED = "REQUEST_DECLINED"
    REQUEST_EXPIRED = "REQUEST_EXPIRED"
    REQUEST_REMINDER = "REQUEST_REMINDER"
    AGREEMENT_PROPOSED = "AGREEMENT_PROPOSED"
    UNREAD_MESSAGES = "UNREAD_MESSAGES"
    # Sent by the meetings feature, which schedules them 24 hours ahead.
    MEETING_REMINDER = "MEETING_REMINDER"
    # A moderator's warning (resolveReport WARN): no switch turns it off.
    MODERATION_WARNING = "MODERATION_WARNING"


class NotificationSetting(Enum):
    """The switches a member has, one per group of kinds; values name the columns."""

    REQUEST_RECEIVED = "request_received"
    REQUEST_ANSWERED = "request_answered"
    REQUEST_REMINDERS = "request_reminders"
    AGREEMENT_PROPOSED = "agreement_proposed"
    UNREAD_MESSAGES = "unread_messages"
    MEETING_REMINDERS = "meeting_reminders"


# An expired request is answered by time: the mentee hears of it with the answers.
SETTING_OF: dict[NotificationKind, NotificationSetting] = {
    NotificationKind.REQUEST_RECEIVED: NotificationSetting.REQUEST_RECEIVED,
    NotificationKind.REQUEST_ACCEPTED: NotificationSetting.REQUEST_ANSWERED,
    NotificationKind.REQUEST_DECLINED: NotificationSetting.REQUEST_ANSWERED,
    NotificationKind.REQUEST_EXPIRED: NotificationSetting.REQUEST_ANSWERED,
    NotificationKind.REQUEST_REMINDER: NotificationSetting.REQUEST_REMINDERS,
    NotificationKind.AGREEMENT_PROPOSED: NotificationSetting.AGREEMENT_PROPOSED,
    NotificationKind.UNREAD_MESSAGES: NotificationSetting.UNREAD_MESSAGES,
    NotificationKind.MEETING_REMINDER: NotificationSetting.MEETING_REMINDERS,
}

# Kinds about one relationship: without it (ended and gone) they are not sent.
# The others concern the member alone.
ABOUT_A_RELATIONSHIP = frozenset(SETTING_OF)


class DeliveryStatus(Enum):
    """Where one queued e-mail stands in the outbox."""

    PENDING = "PENDING"  # waiting for its due time, or claimed by a sender
    SENT = "SENT"
    SKIPPED = "SKIPPED"  # not sent: switched off, member gone, or no longer true
    FAILED = "FAILED"  # refused for good by the mail server (5xx)
    DEAD = "DEAD"  # temporary failures until the attempts ran out


class RoleName(Enum):
    """What the operator lets a member do beyond membership (`python -m app grant-role`)."""

    MODERATOR = "MODERATOR"


class ReportReason(Enum):
    HARASSMENT = "HARASSMENT"
    SPAM = "SPAM"
    INAPPROPRIATE = "INAPPROPRIATE"
    FAKE_PROFILE = "FAKE_PROFILE"
    OTHER = "OTHER"


class ReportStatus(Enum):
    OPEN = "OPEN"
    DISMISSED = "DISMISSED"
    ACTIONED = "ACTIONED"  # the member was warned or suspended


class ReportAction(Enum):
    """How a moderator resolves a report."""

    DISMISS = "DISMISS"
    WARN = "WARN"
    SUSPEND = "SUSPEND"


class ModerationAction(Enum):
    """What one entry of the moderation log records."""

    DISMISS = "DISMISS"
    WARN = "WARN"
    SUSPEND = "SUSPEND"
    REINSTATE = "REINSTATE"
