"""Opaque cursors: base64 of a prefix naming their kind and a key.

Message cursors are `m1:<seq>`, search cursors `mentor-search:v1:<mentor id>`.
Clients pass them back (`after`, `before`, `upTo`); anything that does not
decode to a key of the right kind, within the range a key column holds
(`resolvers.ids.MAX_KEY`), is BAD_USER_INPUT naming that argument: a cursor
out of range was never issued, and must not reach SQL as an overflow.
"""

from __future__ import annotations

import base64
import binascii

from resolvers.catalogue import Text, _
from resolvers.errors import BadUserInput
from resolvers.ids import decimal_key

MESSAGE_PREFIX = "m1:"
SEARCH_PREFIX = "mentor-search:v1:"
REPORT_PREFIX = "reports:v1:"
LOG_PREFIX = "moderation-log:v1:"
MAX_CURSOR_LENGTH = 40


def _encode(prefix: str, key: int) -> str:
    return base64.urlsafe_b64encode(f"{prefix}{key}".encode()).decode()


def _decode(field: str, cursor: str, prefix: str, refusal: Text) -> int:
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise BadUserInput(field, refusal)
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise BadUserInput(field, refusal) from None
    key = decimal_key(text.removeprefix(prefix)) if text.startswith(prefix) else None
    if key is None:
        raise BadUserInput(field, refusal)
    return key


def message_cursor(seq: int) -> str:
    return _encode(MESSAGE_PREFIX, seq)


def parse_cursor(field: str, cursor: str) -> int:
    """The seq a message cursor points at."""
    return _decode(field, cursor, MESSAGE_PREFIX, _("is not a message cursor."))


def optional_cursor(field: str, cursor: str | None) -> int | None:
    return None if cursor is None else parse_cursor(field, cursor)


def search_cursor(mentor_id: int) -> str:
    return _encode(SEARCH_PREFIX, mentor_id)


def parse_search_cursor(field: str, cursor: str) -> int:
    """The mentor id a search cursor stands for."""
    return _decode(field, cursor, SEARCH_PREFIX, _("is not a cursor of this search."))


def report_cursor(report_id: int) -> str:
    return _encode(REPORT_PREFIX, report_id)


def parse_report_cursor(field: str, cursor: str) -> int:
    """The report id a `reports` cursor stands for."""
    return _decode(field, cursor, REPORT_PREFIX, _("is not a cursor of this list."))


def log_cursor(entry_id: int) -> str:
    return _encode(LOG_PREFIX, entry_id)


def parse_log_cursor(field: str, cursor: str) -> int:
    """The entry id a `moderationLog` cursor stands for."""
    return _decode(field, cursor, LOG_PREFIX, _("is not a cursor of this list."))
