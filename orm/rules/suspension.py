"""A suspended member is found by no one: search and suggestions leave them out.

A moderator's suspension (`user.suspended_at`) takes the member's mentor
profile out of `searchMentors`, `mentorSuggestions` (a hard filter of the
scoring SQL, so the top-k stays exact) and `matchScore` (`eligible: false`),
and a request to them is refused as to a mentor who takes none: the SQL
clause and the Python predicate below are one rule, and
tests/rules/test_suspension.py holds them to agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Account(Protocol):
    """A member's row as far as this rule reads it."""

    @property
    def suspended_at(self) -> datetime | None: ...


def is_suspended(account: Account) -> bool:
    return account.suspended_at is not None


def not_suspended_sql(user_id_column: str) -> str:
    """True for a row whose `user_id_column` names a member who is not suspended.

    A subquery the engines run once (the index `user_suspended_idx` finds the
    few suspended members), not a lookup per mentor row.
    """
    suspended = 'SELECT su.id FROM "user" su WHERE su.suspended_at IS NOT NULL'
    return f"{user_id_column} NOT IN ({suspended})"
