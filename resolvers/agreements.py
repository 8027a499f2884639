"""Agreements: versioned terms that one side proposes and the other accepts.

Proposing adds version n+1 and supersedes an earlier proposal still open;
the accepted version stays the current terms until the other side accepts a
newer one. So a proposal to extend an ACTIVE or COMPLETED relationship
changes nothing until it is accepted.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from orm import agreements as agreement_rows
from orm.agreements import Terms
from orm.models import Agreement, User
from orm.rules import due
from orm.vocabulary import AgreementStatus, Cadence, Channel, Topic
from resolvers import validation
from resolvers.catalogue import _
from resolvers.errors import BadUserInput, Conflict, Forbidden, NotFound
from resolvers.lifecycle import Action, Outbox, Participation
from resolvers.participant_move import participant_move

MAX_GOALS = 10
MAX_GOAL_LENGTH = 500
MAX_EXPECTATIONS = 2000
MAX_SPAN_MONTHS = 24
# How far from today the terms may start: a mentoring that began a while
# ago may get its terms written down late; one further ahead than two years
# is a typo. The bound also keeps every date computed from these in range.
EARLIEST_START_MONTHS, LATEST_START_MONTHS = -12, 24


@dataclass(frozen=True)
class ProposedTerms:
    """The terms as a client sends them, before validation."""

    goals: Sequence[str]
    topics: Sequence[Topic]
    expectations: str | None
    cadence: Cadence
    channels: Sequence[Channel]
    starts_on: date
    ends_on: date


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _goals(goals: Sequence[str]) -> list[str]:
    if not 1 <= len(goals) <= MAX_GOALS:
        raise BadUserInput("goals", _("must have 1 to {max_goals} entries.", max_goals=MAX_GOALS))
    collected = validation.Collected()
    checked = []
    for index, goal in enumerate(goals):
        with collected:
            checked.append(
                validation.required_text(f"goals[{index}]", goal, max_length=MAX_GOAL_LENGTH)
            )
    collected.raise_any()
    return checked


def _non_empty(field: str, values: Sequence[Topic] | Sequence[Channel]) -> list[str]:
    if not values:
        raise BadUserInput(field, _("must have at least one entry."))
    return [value.value for value in validation.unique(values)]


def _check_dates(
    collected: validation.Collected, starts_on: date, ends_on: date, today: date
) -> None:
    earliest = add_months(today, EARLIEST_START_MONTHS)
    latest = add_months(today, LATEST_START_MONTHS)
    starts_in_range = earliest <= starts_on <= latest
    if ends_on < today:
        collected.add(BadUserInput("endsOn", _("must not be in the past.")))
    elif ends_on <= starts_on:
        collected.add(BadUserInput("endsOn", _("must be after startsOn.")))
    # The span counts from a start in range (one far off has no month to add).
    elif starts_in_range and ends_on > add_months(starts_on, MAX_SPAN_MONTHS):
        message = _("must be at most {months} months after startsOn.", months=MAX_SPAN_MONTHS)
        collected.add(BadUserInput("endsOn", message))
    if not starts_in_range:
        collected.add(
            BadUserInput(
                "startsOn",
                _("must be between {earliest} and {latest}.", earliest=earliest, latest=latest),
            )
        )


def validate_terms(proposed: ProposedTerms, today: date) -> Terms:
    """The terms as stored; BadUserInput names every bad field at once."""
    collected = validation.Collected()
    goals: list[str] = []
    topics: list[str] = []
    channels: list[str] = []
    expectations = None
    with collected:
        goals = _goals(proposed.goals)
    with collected:
        topics = _non_empty("topics", proposed.topics)
    with collected:
        expectations = validation.text(
            "expectations", proposed.expectations, max_length=MAX_EXPECTATIONS, multiline=True
        )
    with collected:
        channels = _non_empty("channels", proposed.channels)
    starts_on, ends_on = proposed.starts_on, proposed.ends_on
    _check_dates(collected, starts_on, ends_on, today)
    collected.raise_any()
    return Terms(goals, topics, expectations, proposed.cadence.value, channels, starts_on, ends_on)


async def propose_agreement(
    viewer: User, relationship_id: str, proposed: ProposedTerms, *, now: datetime, outbox: Outbox
) -> Agreement:
    async with participant_move(
        viewer, relationship_id, Action.PROPOSE_AGREEMENT, now=now, outbox=outbox
    ) as move:
        # Checked once the viewer is known to be a participant: outsiders get
        # NOT_FOUND whatever they send.
        terms = validate_terms(proposed, due.today(now))
        key = move.relationship.id
        version = await agreement_rows.latest_version(key) + 1
        return await agreement_rows.propose(
            key, version=version, proposed_by_id=viewer.id, terms=terms, at=now
        )


async def accept_agreement(
    viewer: User, relationship_id: str, version: int, *, now: datetime, outbox: Outbox
) -> Participation:
    async with participant_move(
        viewer, relationship_id, Action.ACCEPT_AGREEMENT, now=now, outbox=outbox
    ) as move:
        agreement = await agreement_rows.version_of(move.relationship.id, version)
        if agreement is None:
            raise NotFound("agreement")
        if agreement.proposed_by_id == viewer.id:
            raise Forbidden(_("Only the other side can accept the terms you proposed."))
        if agreement.status != AgreementStatus.PROPOSED.value:
            raise Conflict(
                _(
                    "Version {version} is {status}: accept the latest proposal.",
                    version=version,
                    status=agreement.status,
                )
            )
        if agreement.ends_on < due.today(now):  # accepted, they would be due at once
            raise Conflict(
                _("These terms ended on {ends_on}: propose new ones.", ends_on=agreement.ends_on)
            )
        if not await agreement_rows.accept(agreement, now):
            raise Conflict(_("The terms changed meanwhile: load them again."))
        move.set(starts_on=agreement.starts_on, ends_on=agreement.ends_on)
    return move.participation
