"""The domain vocabularies, registered as GraphQL enums.

The enum classes stay in `orm.vocabulary`, free of GraphQL; registering them
here attaches Strawberry's definition to the same classes, so types import
them from this module and both mypy and Strawberry see one class.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import TypeVar

import strawberry

from orm.vocabulary import (
    TOPIC_DESCRIPTIONS,
    AgreementStatus,
    Cadence,
    Channel,
    ContactKind,
    EventKind,
    Locale,
    MeetingStatus,
    ModerationAction,
    RelationshipStatus,
    ReportAction,
    ReportReason,
    ReportStatus,
    Situation,
    Topic,
    ViewerRole,
)

strawberry.enum(Topic, description="What a mentoring focuses on.")
strawberry.enum(Situation, description="The transition a mentee is going through.")
strawberry.enum(Channel, description="How mentoring partners meet.")
strawberry.enum(ContactKind, description="Kinds of contact links.")
strawberry.enum(Cadence, description="How often partners meet.")
strawberry.enum(
    RelationshipStatus,
    description="Where a relationship stands: REQUESTED, then ACCEPTED, ACTIVE under agreed "
    "terms, and COMPLETED or ENDED; or DECLINED, WITHDRAWN, EXPIRED (unanswered for 14 days).",
)
strawberry.enum(
    AgreementStatus, description="A version of the terms: proposed, accepted, or replaced."
)
strawberry.enum(ViewerRole, description="The viewer's side of a relationship.")
strawberry.enum(MeetingStatus, description="Where a proposed meeting stands.")
strawberry.enum(
    Locale,
    description="A member's language: DE (German) or EN (English). It chooses the language "
    "of e-mails and, unless the request sends Accept-Language, of labels, reasons and errors.",
)
strawberry.enum(
    EventKind,
    name="ViewerEventKind",
    description="What happened to one of the viewer's relationships (viewerEvents).",
)

strawberry.enum(ReportReason, description="Why a member reports another.")
strawberry.enum(ReportStatus, description="Where a report stands with the moderators.")
strawberry.enum(ReportAction, description="How a moderator resolves a report.")
strawberry.enum(ModerationAction, description="What a moderator did (moderationLog).")

E = TypeVar("E", bound=Enum)


def by_value(enum: type[E]) -> Callable[[str], E]:
    """`enum(value)` as one dict lookup: a list of relationships converts hundreds
    of stored values per request, and an Enum call costs twenty times more."""
    return {member.value: member for member in enum}.__getitem__


topic = by_value(Topic)
channel = by_value(Channel)
cadence = by_value(Cadence)
relationship_status = by_value(RelationshipStatus)
agreement_status = by_value(AgreementStatus)
meeting_status = by_value(MeetingStatus)


def describe_values(enum: type[E], descriptions: Mapping[E, str]) -> None:
    """Give each value of a registered enum its description (shown in GraphiQL).

    The classes live in `orm`, free of Strawberry, so the descriptions are
    attached here; a value left without one fails at import.
    """
    missing = [member.name for member in enum if member not in descriptions]
    if missing:
        raise ValueError(f"{enum.__name__} values without a description: {missing}")
    for value in enum.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = descriptions[enum[value.name]]


# Shown in GraphiQL and by the contract's Topics query.
describe_values(Topic, {topic: f"{topic.label}: {TOPIC_DESCRIPTIONS[topic]}" for topic in Topic})
describe_values(
    Situation,
    {
        Situation.STUDIES: "Still in education: university, college or vocational training.",
        Situation.CAREER_ENTRY: "Starting the first job after education.",
        Situation.CAREER_REENTRY: "Returning to work after a break.",
        Situation.JOB_CHANGE: "Moving to another job, employer or field.",
        Situation.RELOCATION: "Moving to another country (see targetCountry).",
        Situation.OTHER: "None of these.",
    },
)
describe_values(
    Channel,
    {
        Channel.PRIVATE_MESSAGE: "The conversation on this platform.",
        Channel.EMAIL: "E-mail.",
        Channel.PHONE: "Phone calls.",
        Channel.VIDEO_CALL: "Video calls.",
    },
)
describe_values(
    ContactKind,
    {
        ContactKind.EMAIL: "An e-mail address.",
        ContactKind.PHONE: "An international number (+, country code, number), served as E.164.",
        ContactKind.SKYPE: "A Skype account name or an https:// link.",
        ContactKind.GOOGLE: "A Google account name or an https:// link.",
        ContactKind.FACEBOOK: "An https:// link to a Facebook profile.",
        ContactKind.LINKEDIN: "An https:// link to a LinkedIn profile.",
        ContactKind.OTHER: "Any other https:// link.",
    },
)
describe_values(
    Cadence,
    {
        Cadence.WEEKLY: "Once a week.",
        Cadence.BIWEEKLY: "Every two weeks.",
        Cadence.MONTHLY: "Once a month.",
        Cadence.AD_HOC: "When either side asks, without a fixed rhythm.",
    },
)
describe_values(
    RelationshipStatus,
    {
        RelationshipStatus.REQUESTED: "The mentee asked; the mentor has not answered yet. "
        "Counts against the mentee's 3 open requests.",
        RelationshipStatus.ACCEPTED: "The mentor accepted: it takes one of the mentor's places; "
        "the two agree terms next.",
        RelationshipStatus.DECLINED: "The mentor declined; the mentee may not ask the same "
        "mentor again for 90 days.",
        RelationshipStatus.WITHDRAWN: "The mentee withdrew the request before an answer.",
        RelationshipStatus.EXPIRED: "Unanswered for 14 days; it no longer counts against anyone.",
        RelationshipStatus.ACTIVE: "Running under accepted terms, until their endsOn.",
        RelationshipStatus.COMPLETED: "The accepted terms ran to their endsOn; "
        "new terms may extend it.",
        RelationshipStatus.ENDED: "A participant ended it early.",
    },
)
describe_values(
    AgreementStatus,
    {
        AgreementStatus.PROPOSED: "Waiting for the other side to accept this version.",
        AgreementStatus.ACCEPTED: "The terms in force.",
        AgreementStatus.SUPERSEDED: "Replaced: a newer proposal came before this one was "
        "accepted, or newer terms were accepted.",
    },
)
describe_values(
    MeetingStatus,
    {
        MeetingStatus.PROPOSED: "One side proposed it; the other has not answered yet.",
        MeetingStatus.CONFIRMED: "The other side confirmed it: it is in both calendars.",
        MeetingStatus.DECLINED: "The other side declined it.",
        MeetingStatus.CANCELLED: "One side cancelled it.",
    },
)
describe_values(
    Locale,
    {
        Locale.DE: "German, in the formal register (Sie).",
        Locale.EN: "English.",
    },
)
describe_values(
    ViewerRole,
    {
        ViewerRole.MENTOR: "The viewer is the mentor.",
        ViewerRole.MENTEE: "The viewer is the mentee.",
    },
)
describe_values(
    EventKind,
    {
        EventKind.REQUEST_RECEIVED: "To the mentor: a mentee requested mentoring.",
        EventKind.REQUEST_ACCEPTED: "To the mentee: the mentor accepted the request.",
        EventKind.REQUEST_DECLINED: "To the mentee: the mentor declined the request.",
        EventKind.REQUEST_WITHDRAWN: "To the mentor: the mentee withdrew the request.",
        EventKind.REQUEST_EXPIRED: "To both: the request went unanswered for 14 days.",
        EventKind.AGREEMENT_PROPOSED: "To the other side: new terms wait for an answer.",
        EventKind.AGREEMENT_ACCEPTED: "To the proposer: the terms were accepted; "
        "the relationship is ACTIVE.",
        EventKind.RELATIONSHIP_ENDED: "To the other side: the relationship was ended early.",
        EventKind.MESSAGE_RECEIVED: "To the recipient: the partner sent a message.",
        EventKind.ACTION_STEP_CHANGED: "To the other side: an action step was added, "
        "changed, ticked off or deleted.",
        EventKind.MEETING_PROPOSED: "To the other side: a meeting waits for an answer.",
        EventKind.MEETING_CONFIRMED: "To the proposer: the meeting was confirmed.",
        EventKind.MEETING_DECLINED: "To the proposer: the meeting was declined.",
        EventKind.MEETING_CANCELLED: "To the other side: the meeting was cancelled.",
    },
)

__all__ = [
    "AgreementStatus",
    "Cadence",
    "Channel",
    "ContactKind",
    "EventKind",
    "Locale",
    "MeetingStatus",
    "ModerationAction",
    "RelationshipStatus",
    "ReportAction",
    "ReportReason",
    "ReportStatus",
    "Situation",
    "Topic",
    "ViewerRole",
]
describe_values(
    ReportReason,
    {
        ReportReason.HARASSMENT: "Insults, threats, pressure or unwanted advances.",
        ReportReason.SPAM: "Advertising, or the same message sent to many.",
        ReportReason.INAPPROPRIATE: "Content that does not belong in a mentoring program.",
        ReportReason.FAKE_PROFILE: "The profile pretends to be someone or something it is not.",
        ReportReason.OTHER: "Anything else: say what in `details`.",
    },
)
describe_values(
    ReportStatus,
    {
        ReportStatus.OPEN: "Waiting for a moderator.",
        ReportStatus.DISMISSED: "A moderator found nothing to act on.",
        ReportStatus.ACTIONED: "A moderator warned or suspended the member.",
    },
)
describe_values(
    ReportAction,
    {
        ReportAction.DISMISS: "Close the report without acting on the member.",
        ReportAction.WARN: "Warn the member by e-mail, in their language.",
        ReportAction.SUSPEND: "Suspend the member (as suspendMember does).",
    },
)
describe_values(
    ModerationAction,
    {
        ModerationAction.DISMISS: "A report was dismissed.",
        ModerationAction.WARN: "The member was warned.",
        ModerationAction.SUSPEND: "The member was suspended.",
        ModerationAction.REINSTATE: "The member's suspension was lifted.",
    },
)
