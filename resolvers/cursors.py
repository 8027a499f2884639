"""Opaque message cursors: base64 of `m1:<seq>`.

Clients pass them back as `after`, `before` or `upTo`; anything that does
not decode to a positive seq is BAD_USER_INPUT naming that argument.
"""

from __future__ import annotations

import base64
import binascii

from resolvers.errors import BadUserInput

PREFIX = "m1:"
MAX_CURSOR_LENGTH = 40


def message_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{PREFIX}{seq}".encode()).decode()


def parse_cursor(field: str, cursor: str) -> int:
    """The seq a cursor points at."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise BadUserInput(field, "is not a message cursor.")
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise BadUserInput(field, "is not a message cursor.") from None
    digits = text.removeprefix(PREFIX)
    if not text.startswith(PREFIX) or not digits.isdigit() or not digits.isascii():
        raise BadUserInput(field, "is not a message cursor.")
    return int(digits)


def optional_cursor(field: str, cursor: str | None) -> int | None:
    return None if cursor is None else parse_cursor(field, cursor)
