"""Due for settling: a relationship whose status time has already changed.

A request unanswered for 14 days is due to expire; an ACTIVE relationship
is due to complete once its `endsOn` has passed (the day after it, in UTC).
Whatever is due is settled before anyone reads or acts on it, and until then
it no longer counts as open: a request past its lifetime or an ACTIVE
relationship past its end stops blocking suggestions and requests at once.

Moments compare as stored: on SQLite, Tortoise keeps times as ISO 8601 text
in UTC (`Params.add_moment`) and dates as ISO text, which compare in order.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from tortoise.expressions import Q

from orm.sql import POSTGRES, Params
from orm.vocabulary import RelationshipStatus

# A request unanswered this long expires.
REQUEST_LIFETIME = timedelta(days=14)

REQUESTED = RelationshipStatus.REQUESTED.value
ACCEPTED = RelationshipStatus.ACCEPTED.value
ACTIVE = RelationshipStatus.ACTIVE.value


class Timed(Protocol):
    """A relationship's row as far as this rule reads it (a model or a record)."""

    @property
    def status(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def ends_on(self) -> date | None: ...


def expiry_cutoff(now: datetime) -> datetime:
    """Requests created before this moment are due to expire.

    In UTC: Tortoise compares a moment with the stored text as it is given on
    SQLite, so a moment in another zone would compare wrongly.
    """
    return now.astimezone(UTC) - REQUEST_LIFETIME


def today(now: datetime) -> date:
    """The day `endsOn` is compared with: ACTIVE ending before it is due to complete."""
    return now.astimezone(UTC).date()


def is_due(row: Timed, now: datetime) -> bool:
    if row.status == REQUESTED:
        return row.created_at < expiry_cutoff(now)
    if row.status == ACTIVE:
        return row.ends_on is not None and row.ends_on < today(now)
    return False


def is_open(row: Timed, now: datetime) -> bool:
    """Open or active and not due: a request waiting, ACCEPTED, ACTIVE until its end."""
    return row.status in (REQUESTED, ACCEPTED, ACTIVE) and not is_due(row, now)


def _day(params: Params, now: datetime) -> str:
    day = today(now)
    # PostgreSQL binds a date; SQLite compares the ISO text the column holds.
    return params.add(day if params.dialect == POSTGRES else day.isoformat())


def _prefix(alias: str | None) -> str:
    return f"{alias}." if alias else ""


def _request(now: datetime, params: Params, a: str, *, expired: bool) -> str:
    # Placeholders are taken in the order they appear in the text (SQLite's `?`).
    status = params.add(REQUESTED)
    moment = params.add_moment(expiry_cutoff(now))
    compare = "<" if expired else ">="
    return f"({a}status = {status} AND {a}created_at {compare} {moment})"


def _active(now: datetime, params: Params, a: str, *, ended: bool) -> str:
    status = params.add(ACTIVE)
    day = _day(params, now)
    # An ACTIVE relationship without an end date never falls due.
    ends = f"{a}ends_on < {day}" if ended else f"({a}ends_on IS NULL OR {a}ends_on >= {day})"
    return f"({a}status = {status} AND {ends})"


def due_sql(now: datetime, params: Params, alias: str | None = None) -> str:
    """`is_due` of the relationship row `alias` (unqualified columns when None)."""
    a = _prefix(alias)
    expired = _request(now, params, a, expired=True)
    return f"({expired} OR {_active(now, params, a, ended=True)})"


def open_sql(now: datetime, params: Params, alias: str | None = None) -> str:
    """`is_open` of the relationship row `alias` (unqualified columns when None)."""
    a = _prefix(alias)
    waiting = _request(now, params, a, expired=False)
    accepted = f"{a}status = {params.add(ACCEPTED)}"
    return f"({waiting} OR {accepted} OR {_active(now, params, a, ended=False)})"


def due_filter(now: datetime) -> Q:
    """`is_due` for a Tortoise query over relationships."""
    return Q(status=REQUESTED, created_at__lt=expiry_cutoff(now)) | Q(
        status=ACTIVE, ends_on__lt=today(now)
    )
