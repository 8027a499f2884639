"""Field validators: each returns the normalised value or raises BadUserInput.

ISO codes come from pycountry, time zones from zoneinfo and phone numbering
plans from phonenumbers, so that the lists stay current with their upstream
standards instead of living in this code.

Every text a client sends goes through `text`: single-line texts refuse
invisible and direction-changing characters (Unicode Cf), so that a display
name cannot pass itself off as another ("Ada\u202eecilA", a zero-width space
between letters); the zero-width joiner stays allowed between two emoji,
where it builds one emoji (a woman + ZWJ + laptop). Long texts keep Cf
(Persian needs the zero-width non-joiner, mixed scripts need the directional
marks) but refuse the embedding, override and isolate controls, which reorder
the text that follows them on screen.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from functools import cache
from types import TracebackType
from typing import TypeVar
from urllib.parse import urlsplit
from zoneinfo import available_timezones

import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email

from resolvers.catalogue import _
from resolvers.errors import BadUserInput

H = TypeVar("H", bound=Hashable)


class Collected:
    """Gathers the refusals of several fields, so that one answer names every bad field.

        collected = Collected()
        for name, value in sent.items():
            with collected:
                values[name] = check(name, value)
        collected.raise_any()

    Each `with` block ends at its field's BadUserInput, and the next field is
    checked; anything else goes through at once.
    """

    def __init__(self) -> None:
        self.refusals: list[BadUserInput] = []

    def __enter__(self) -> Collected:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if isinstance(error, BadUserInput):
            self.add(error)
            return True
        return False

    def add(self, refusal: BadUserInput) -> None:
        """A refusal found without raising it (a rule between two fields)."""
        self.refusals.append(refusal)

    def raise_any(self) -> None:
        """BadUserInput naming every bad field seen, if there was one."""
        if self.refusals:
            raise BadUserInput.of_all(self.refusals)


# Line breaks and tabs belong in long texts; every other control character
# (NUL included) is refused rather than stored.
_MULTILINE_ALLOWED = {"\n", "\r", "\t"}


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


# Single-line texts also refuse the line and paragraph separators.
_SINGLE_LINE_REFUSED = ("Cc", "Cs", "Zl", "Zp")
_MULTILINE_REFUSED = ("Cc", "Cs")

ZERO_WIDTH_JOINER = "\u200d"
# Between an emoji and a following ZWJ: the emoji presentation selector and
# the skin tone modifiers.
_EMOJI_MODIFIERS = re.compile("[\ufe0f\U0001f3fb-\U0001f3ff]")
# Embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _has_control_characters(value: str, *, multiline: bool) -> bool:
    if multiline:
        return any(
            unicodedata.category(char) in _MULTILINE_REFUSED and char not in _MULTILINE_ALLOWED
            for char in value
        )
    return any(unicodedata.category(char) in _SINGLE_LINE_REFUSED for char in value)


def _is_pictographic(char: str) -> bool:
    # Emoji are "Symbol, other"; the standard library has no Extended_Pictographic.
    return unicodedata.category(char) == "So"


def _joins_two_emoji(value: str, index: int) -> bool:
    before = index - 1
    while before >= 0 and _EMOJI_MODIFIERS.match(value[before]):
        before -= 1
    after = index + 1
    return (
        before >= 0
        and after < len(value)
        and _is_pictographic(value[before])
        and _is_pictographic(value[after])
    )


def invisible_character(value: str, *, multiline: bool) -> str | None:
    """The first invisible or direction-changing character the text may not hold."""
    if multiline:
        found = _BIDI_CONTROLS.search(value)
        return found.group() if found else None
    for index, char in enumerate(value):
        if unicodedata.category(char) != "Cf":
            continue
        if char == ZERO_WIDTH_JOINER and _joins_two_emoji(value, index):
            continue
        return char
    return None


def text(
    field: str, value: str | None, *, max_length: int, min_length: int = 1, multiline: bool = False
) -> str | None:
    """Trimmed text within the bounds; blank means 'clear this field' (None)."""
    if value is None:
        return None
    if _has_control_characters(value, multiline=multiline):
        raise BadUserInput(field, _("contains control characters."))
    invisible = invisible_character(value, multiline=multiline)
    if invisible is not None:
        code_point = f"U+{ord(invisible):04X}"
        raise BadUserInput(
            field,
            _(
                "contains an invisible or direction-changing character ({character}).",
                character=code_point,
            ),
        )
    trimmed = value.strip()
    if not trimmed:
        return None
    if len(trimmed) < min_length:
        raise BadUserInput(
            field, _("must have at least {min_length} characters.", min_length=min_length)
        )
    if len(trimmed) > max_length:
        raise BadUserInput(
            field, _("must have at most {max_length} characters.", max_length=max_length)
        )
    return trimmed


def required_text(
    field: str, value: str, *, max_length: int, min_length: int = 1, multiline: bool = False
) -> str:
    result = text(field, value, max_length=max_length, min_length=min_length, multiline=multiline)
    if result is None:
        raise BadUserInput(field, _("must not be empty."))
    return result


def integer(field: str, value: int | None, *, minimum: int, maximum: int) -> int | None:
    if value is None:
        return None
    if not minimum <= value <= maximum:
        raise BadUserInput(
            field, _("must be between {minimum} and {maximum}.", minimum=minimum, maximum=maximum)
        )
    return value


def country(field: str, value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code, upper-cased."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise BadUserInput(
            field, _("'{value}' is not an ISO 3166-1 alpha-2 country code.", value=value)
        )
    return code


def language(field: str, value: str) -> str:
    """An ISO 639-1 (two-letter) language code, lower-cased."""
    code = value.strip().lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise BadUserInput(field, _("'{value}' is not an ISO 639-1 language code.", value=value))
    return code


def languages(field: str, values: Sequence[str] | None, *, max_items: int = 10) -> list[str]:
    if values is None:
        return []
    collected = Collected()
    checked = []
    for index, value in enumerate(values):
        with collected:
            checked.append(language(f"{field}[{index}]", value))
    collected.raise_any()
    codes = unique(checked)
    if len(codes) > max_items:
        raise BadUserInput(field, _("must have at most {max_items} entries.", max_items=max_items))
    return codes


def timezone(field: str, value: str | None) -> str | None:
    """An IANA time zone name such as Europe/Berlin."""
    if value is None or not value.strip():
        return None
    name = value.strip()
    if name not in _time_zones():
        raise BadUserInput(field, _("'{value}' is not an IANA time zone name.", value=value))
    return name


def email(field: str, value: str) -> str:
    """A syntactically valid address, normalised (the domain lower-cased)."""
    try:
        checked = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise BadUserInput(
            field, _("is not a valid e-mail address ({error}).", error=error)
        ) from None
    # Addresses are matched case-insensitively: people type them in any case.
    return checked.normalized.lower()


# Longer than any number written with spaces and brackets; phonenumbers
# itself reads up to 250 characters.
MAX_PHONE_INPUT = 40
E164 = re.compile(r"\+[1-9][0-9]{1,14}")


def phone(field: str, value: str) -> str:
    """An international number (+ and the country code), in its E.164 form."""
    candidate = value.strip()
    if len(candidate) > MAX_PHONE_INPUT:
        raise BadUserInput(
            field,
            _("must have at most {max_phone_input} characters.", max_phone_input=MAX_PHONE_INPUT),
        )
    try:
        number = phonenumbers.parse(candidate, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise BadUserInput(
            field, _("is not an international phone number (+, the country code, the number).")
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


MAX_URL = 300
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def _is_host_name(host: str) -> bool:
    """A DNS name of two or more labels; international names count by their IDNA form."""
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.split(".")
    return len(labels) >= 2 and all(_HOST_LABEL.fullmatch(label) for label in labels)


def https_url(field: str, value: str, *, max_length: int = MAX_URL) -> str:
    """An absolute https:// link to a named host, without credentials.

    Only https: a stored link is one that a client will make clickable, and
    `javascript:`, `data:` and the like would run or show whatever they hold.
    """
    url = value.strip()
    if len(url) > max_length:
        raise BadUserInput(
            field, _("must have at most {max_length} characters.", max_length=max_length)
        )
    if url[:8].lower() != "https://":
        raise BadUserInput(field, _("must be a link starting with https://."))
    if "\\" in url or any(char.isspace() or not char.isprintable() for char in url):
        raise BadUserInput(
            field, _("must not contain spaces, backslashes or invisible characters.")
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise BadUserInput(field, _("is not a valid link.")) from None
    if parts.username is not None or parts.password is not None:
        raise BadUserInput(field, _("must not contain a user name or password."))
    if parts.hostname is None or not _is_host_name(parts.hostname):
        raise BadUserInput(field, _("must name a host, such as https://www.example.org/."))
    return url


MAX_ACCOUNT_NAME = 100
# Skype names and Google accounts (often an address): nothing that reads as
# a scheme, a tag or a space. The one colon allowed is Skype's own `live:`
# prefix (Microsoft-account Skype ids read `live:.cid.0123abcd`).
_ACCOUNT_NAME = re.compile(r"(live:)?[A-Za-z0-9.][A-Za-z0-9._@+-]*")


def account_name_or_https_url(field: str, value: str) -> str:
    """An account name of a conservative character set, or an https:// link."""
    candidate = value.strip()
    if candidate[:8].lower() == "https://":
        return https_url(field, candidate)
    if len(candidate) > MAX_ACCOUNT_NAME:
        raise BadUserInput(
            field,
            _(
                "must have at most {max_account_name} characters.",
                max_account_name=MAX_ACCOUNT_NAME,
            ),
        )
    if not _ACCOUNT_NAME.fullmatch(candidate):
        raise BadUserInput(
            field,
            _(
                "must be an account name (letters, digits, . _ - + @, or Skype's live: prefix) "
                "or an https:// link."
            ),
        )
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
