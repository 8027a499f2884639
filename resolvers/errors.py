"""Domain errors: each carries the `extensions.code` the API contract names.

`schema.core.errors` turns them into GraphQL errors; anything that is not one of
these is unexpected, logged in full and answered with a generic message.
Messages are `resolvers.catalogue` texts, rendered in the reader's language
when the answer leaves (`message_in`, `extensions_in`); the code and the
field names never change with the language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from resolvers.catalogue import Text, _, as_text
from resolvers.language import Language


class DomainError(Exception):
    code: ClassVar[str] = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: Text | str, **extensions: Any) -> None:
        self.text = as_text(message)
        self.message = str(self.text)
        super().__init__(self.message)
        self.extensions = extensions

    def message_in(self, language: Language) -> str:
        return self.text.in_language(language)

    def extensions_in(self, language: Language) -> dict[str, Any]:
        return self.extensions


SIGN_IN = _("Sign in to do this.")


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"

    def __init__(self, message: Text | str = SIGN_IN) -> None:
        super().__init__(message)


class Forbidden(DomainError):
    code = "FORBIDDEN"


class Suspended(DomainError):
    """The account is suspended by a moderator: it cannot sign in until reinstated."""

    code = "SUSPENDED"

    def __init__(self) -> None:
        super().__init__(_("This account is suspended by a moderator."))


class NotFound(DomainError):
    code = "NOT_FOUND"

    def __init__(self, what: str = "object") -> None:
        # One message whether the object is missing or hidden: never reveal which.
        super().__init__(NOT_FOUND.get(what, NOT_FOUND["object"]))


# What NotFound says of each kind of object (`what`), whole sentences: the
# German article and case depend on the noun.
NOT_FOUND: dict[str, Text] = {
    "object": _("No such object."),
    "mentor": _("No such mentor."),
    "mentee": _("No such mentee."),
    "member": _("No such member."),
    "relationship": _("No such relationship."),
    "agreement": _("No such agreement."),
    "meeting": _("No such meeting."),
    "action step": _("No such action step."),
    "message": _("No such message."),
    "feedback": _("No such feedback."),
    "report": _("No such report."),
}


@dataclass(frozen=True)
class FieldError:
    """One bad input field: its name as the client sent it, and what is wrong."""

    field: str
    text: Text

    @property
    def message(self) -> str:
        return str(self.text)


class BadUserInput(DomainError):
    """Bad input: `field` names the first bad field, `fieldErrors` every one.

    A form shows each message beside its field, so an input with several bad
    values reports all of them at once (see `resolvers.validation.Collected`).
    """

    code = "BAD_USER_INPUT"

    def __init__(self, field: str, message: Text | str, *, more: Sequence[FieldError] = ()) -> None:
        self.field_errors = (FieldError(field, as_text(message)), *more)
        self.field = field
        super().__init__(
            self.message_in(Language.EN),
            **self.extensions_in(Language.EN),
        )

    def message_in(self, language: Language) -> str:
        return "; ".join(
            f"{each.field}: {each.text.in_language(language)}" for each in self.field_errors
        )

    def extensions_in(self, language: Language) -> dict[str, Any]:
        return {
            "field": self.field,
            "fieldErrors": [
                {"field": each.field, "message": each.text.in_language(language)}
                for each in self.field_errors
            ],
        }

    @classmethod
    def of_all(cls, refusals: Sequence[BadUserInput]) -> BadUserInput:
        """One refusal naming every field the given ones name, first first."""
        first, *more = [each for refusal in refusals for each in refusal.field_errors]
        return cls(first.field, first.text, more=more)


class ProfileIncomplete(DomainError):
    code = "PROFILE_INCOMPLETE"

    def __init__(self, message: Text | str, missing_fields: Sequence[str]) -> None:
        super().__init__(message, missingFields=list(missing_fields))


class Conflict(DomainError):
    code = "CONFLICT"


class RateLimited(DomainError):
    code = "RATE_LIMITED"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            _("Too many requests: try again in {seconds} s.", seconds=retry_after),
            retryAfter=retry_after,
        )
