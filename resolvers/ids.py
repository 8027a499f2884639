"""Object ids as the API shows them: decimal strings of primary keys."""

from __future__ import annotations

from resolvers.errors import NotFound

# The largest value any key or sequence column holds: every one is INT, which
# is 32 bits in PostgreSQL (SQLite's integers go to 2^63 - 1). A larger number
# names nothing, and passed to a driver it fails as an overflow, not a miss.
MAX_KEY = 2**31 - 1


def decimal_key(text: str) -> int | None:
    """The key a decimal string spells, or None when it spells no possible key."""
    # Ten digits hold MAX_KEY; the length check keeps `int` from parsing a huge string.
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_KEY)):
        return None
    key = int(text)
    return key if key <= MAX_KEY else None


def parse_id(value: str, *, what: str) -> int:
    """The primary key behind an id; a malformed id names no object (NOT_FOUND)."""
    key = decimal_key(value)
    if key is None:
        raise NotFound(what)
    return key
