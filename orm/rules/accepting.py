"""A mentor accepts mentees: their own switch is on and a place is free.

The contract's `Mentor.acceptingMentees`, the `acceptingMentees` search
filter and the FREE_CAPACITY rule of suggestions. A place is free while the
mentor's accepted and active relationships (`mentee_count`) are fewer than
their capacity; an unset capacity offers none. Accepting a request needs a
free place only: the switch closes the door to new requests, not to those
already waiting.
"""

from __future__ import annotations

from typing import Protocol

from tortoise.expressions import F, Q


class Places(Protocol):
    """A mentor's row as far as this rule reads it (a model or a record)."""

    @property
    def accepting_mentees(self) -> bool: ...
    @property
    def capacity(self) -> int | None: ...
    @property
    def mentee_count(self) -> int: ...


def free_places(mentor: Places) -> int:
    """Places not taken; below zero when the capacity was lowered under the count."""
    return (mentor.capacity or 0) - mentor.mentee_count


def has_free_place(mentor: Places) -> bool:
    return free_places(mentor) > 0


def accepts_mentees(mentor: Places) -> bool:
    """The mentor's own switch is on and a place is free."""
    return bool(mentor.accepting_mentees) and has_free_place(mentor)


def free_places_sql(alias: str) -> str:
    """`free_places` of the row `alias`, as an integer SQL expression."""
    return f"(COALESCE({alias}.capacity, 0) - {alias}.mentee_count)"


def accepts_mentees_sql(alias: str) -> str:
    """`accepts_mentees` of the row `alias`, for a WHERE or a CASE WHEN.

    Written as the terms of the partial index `mentor_suggestion_idx`
    (migration 0002), which SQLite uses only for a query that repeats them.
    An unset capacity makes it NULL, not false: negate `not_accepting_sql`.
    """
    return f"{alias}.accepting_mentees AND {alias}.capacity > {alias}.mentee_count"


def not_accepting_sql(alias: str) -> str:
    """Not `accepts_mentees`: true for an unset capacity too (NOT NULL would be NULL)."""
    a = alias
    return f"NOT ({a}.accepting_mentees AND COALESCE({a}.capacity, 0) > {a}.mentee_count)"


def free_place_filter() -> Q:
    """`has_free_place` for a Tortoise query: the guard of the UPDATE that takes a place."""
    return Q(mentee_count__lt=F("capacity"))
