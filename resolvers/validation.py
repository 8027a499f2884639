"""Field validators: each returns the normalised value or raises BadUserInput.

ISO codes come from pycountry and time zones from zoneinfo, so that the lists
stay current with their upstream standards instead of living in this code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from functools import cache
from typing import TypeVar
from zoneinfo import available_timezones

import pycountry
from email_validator import EmailNotValidError, validate_email

from resolvers.errors import BadUserInput

H = TypeVar("H", bound=Hashable)

# Line breaks and tabs belong in long texts; every other control character
# (NUL included) is refused rather than stored.
_MULTILINE_ALLOWED = {"\n", "\r", "\t"}


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _has_control_characters(value: str, *, multiline: bool) -> bool:
    allowed = _MULTILINE_ALLOWED if multiline else set()
    return any(unicodedata.category(char) in ("Cc", "Cs") and char not in allowed for char in value)


def text(
    field: str, value: str | None, *, max_length: int, min_length: int = 1, multiline: bool = False
) -> str | None:
    """Trimmed text within the bounds; blank means 'clear this field' (None)."""
    if value is None:
        return None
    if _has_control_characters(value, multiline=multiline):
        raise BadUserInput(field, "contains control characters.")
    trimmed = value.strip()
    if not trimmed:
        return None
    if len(trimmed) < min_length:
        raise BadUserInput(field, f"must have at least {min_length} characters.")
    if len(trimmed) > max_length:
        raise BadUserInput(field, f"must have at most {max_length} characters.")
    return trimmed


def required_text(
    field: str, value: str, *, max_length: int, min_length: int = 1, multiline: bool = False
) -> str:
    result = text(field, value, max_length=max_length, min_length=min_length, multiline=multiline)
    if result is None:
        raise BadUserInput(field, "must not be empty.")
    return result


def integer(field: str, value: int | None, *, minimum: int, maximum: int) -> int | None:
    if value is None:
        return None
    if not minimum <= value <= maximum:
        raise BadUserInput(field, f"must be between {minimum} and {maximum}.")
    return value


def country(field: str, value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code, upper-cased."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise BadUserInput(field, f"'{value}' is not an ISO 3166-1 alpha-2 country code.")
    return code


def language(field: str, value: str) -> str:
    """An ISO 639-1 (two-letter) language code, lower-cased."""
    code = value.strip().lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise BadUserInput(field, f"'{value}' is not an ISO 639-1 language code.")
    return code


def languages(field: str, values: Sequence[str] | None, *, max_items: int = 10) -> list[str]:
    if values is None:
        return []
    codes = unique(language(f"{field}[{index}]", value) for index, value in enumerate(values))
    if len(codes) > max_items:
        raise BadUserInput(field, f"must have at most {max_items} entries.")
    return codes


def timezone(field: str, value: str | None) -> str | None:
    """An IANA time zone name such as Europe/Berlin."""
    if value is None or not value.strip():
        return None
    name = value.strip()
    if name not in _time_zones():
        raise BadUserInput(field, f"'{value}' is not an IANA time zone name.")
    return name


def email(field: str, value: str) -> str:
    """A syntactically valid address, normalised (the domain lower-cased)."""
    try:
        checked = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise BadUserInput(field, f"is not a valid e-mail address ({error}).") from None
    # Addresses are matched case-insensitively: people type them in any case.
    return checked.normalized.lower()


_PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{3,28}[0-9]$")


def phone(field: str, value: str) -> str:
    candidate = value.strip()
    if not _PHONE.match(candidate):
        raise BadUserInput(field, "is not a phone number (digits, spaces, + ( ) - . /).")
    return candidate


def unique(values: Iterable[H]) -> list[H]:
    """Drop repeats, keep the first order."""
    return list(dict.fromkeys(values))


def unique_dicts(values: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """Drop repeated entries of a list of flat dicts, keep the first order."""
    seen: set[tuple[tuple[str, str], ...]] = set()
    result: list[dict[str, str]] = []
    for value in values:
        key = tuple(sorted(value.items()))
        if key not in seen:
            seen.add(key)
            result.append(value)
    return result
