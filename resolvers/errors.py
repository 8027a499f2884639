"""Domain errors: each carries the `extensions.code` the API contract names.

`schema.core.errors` turns them into GraphQL errors; anything that is not one of
these is unexpected, logged in full and answered with a generic message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar


class DomainError(Exception):
    code: ClassVar[str] = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "Sign in to do this.") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    code = "FORBIDDEN"


class Suspended(DomainError):
    """The account is suspended by a moderator: it cannot sign in until reinstated."""

    code = "SUSPENDED"

    def __init__(self) -> None:
        super().__init__("This account is suspended by a moderator.")


class NotFound(DomainError):
    code = "NOT_FOUND"

    def __init__(self, what: str = "object") -> None:
        # One message whether the object is missing or hidden: never reveal which.
        super().__init__(f"No such {what}.")


@dataclass(frozen=True)
class FieldError:
    """One bad input field: its name as the client sent it, and what is wrong."""

    field: str
    message: str


class BadUserInput(DomainError):
    """Bad input: `field` names the first bad field, `fieldErrors` every one.

    A form shows each message beside its field, so an input with several bad
    values reports all of them at once (see `resolvers.validation.Collected`).
    """

    code = "BAD_USER_INPUT"

    def __init__(self, field: str, message: str, *, more: Sequence[FieldError] = ()) -> None:
        self.field_errors = (FieldError(field, message), *more)
        super().__init__(
            "; ".join(f"{each.field}: {each.message}" for each in self.field_errors),
            field=field,
            fieldErrors=[
                {"field": each.field, "message": each.message} for each in self.field_errors
            ],
        )
        self.field = field

    @classmethod
    def of_all(cls, refusals: Sequence[BadUserInput]) -> BadUserInput:
        """One refusal naming every field the given ones name, first first."""
        first, *more = [each for refusal in refusals for each in refusal.field_errors]
        return cls(first.field, first.message, more=more)


class ProfileIncomplete(DomainError):
    code = "PROFILE_INCOMPLETE"

    def __init__(self, message: str, missing_fields: Sequence[str]) -> None:
        super().__init__(message, missingFields=list(missing_fields))


class Conflict(DomainError):
    code = "CONFLICT"


class RateLimited(DomainError):
    code = "RATE_LIMITED"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many requests: try again in {retry_after} s.", retryAfter=retry_after
        )
