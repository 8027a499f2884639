"""The domain vocabularies, registered as GraphQL enums.

The enum classes stay in `orm.vocabulary`, free of GraphQL; registering them
here attaches Strawberry's definition to the same classes, so types import
them from this module and both mypy and Strawberry see one class.
"""

from __future__ import annotations

from collections.abc import Callable
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
    RelationshipStatus,
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

# Per-value descriptions (shown in GraphiQL and by the contract's Topics query).
for _value in Topic.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _topic = Topic[_value.name]
    _value.description = f"{_topic.label}: {TOPIC_DESCRIPTIONS[_topic]}"

__all__ = [
    "AgreementStatus",
    "Cadence",
    "Channel",
    "ContactKind",
    "EventKind",
    "Locale",
    "RelationshipStatus",
    "Situation",
    "Topic",
    "ViewerRole",
]
