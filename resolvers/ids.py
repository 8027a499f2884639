"""Object ids as the API shows them: decimal strings of primary keys."""

from __future__ import annotations

from resolvers.errors import NotFound

_MAX_DIGITS = 18


def parse_id(value: str, *, what: str) -> int:
    """The primary key behind an id; a malformed id names no object (NOT_FOUND)."""
    if not value.isascii() or not value.isdigit() or len(value) > _MAX_DIGITS:
        raise NotFound(what)
    return int(value)
