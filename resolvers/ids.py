"""Object ids as the API shows them: opaque global ids, unique across types.

A global id is the unpadded base64url of `<Kind>:<key>`, so that a mentor
and a user with the same primary key never share an id, and `node(id)` can
tell what an id names. Clients must not parse them; the encoding may
change. Only the canonical spelling of an id is read (decoding and encoding
again must give the same text), so one object has exactly one id.

For one release, an argument whose kind is known (`relationshipId`,
`mentorId`, ...) also takes the decimal primary key that clients stored
before global ids; `node` and `nodes`, which take any kind, do not.
"""

from __future__ import annotations

import base64
import binascii
from enum import Enum

from resolvers.errors import NotFound

# The largest value any key or sequence column holds: every one is INT, which
# is 32 bits in PostgreSQL (SQLite's integers go to 2^63 - 1). A larger number
# names nothing, and passed to a driver it fails as an overflow, not a miss.
MAX_KEY = 2**31 - 1
# Longer than any id this module writes: decoding stops before doing any work.
MAX_GLOBAL_ID = 96


class Kind(Enum):
    """What a global id names: the GraphQL type of the object."""

    MEMBER = "Member"  # a person, keyed by user id; the viewer's `User` shares the id
    MENTOR = "Mentor"
    MENTEE = "Mentee"
    RELATIONSHIP = "Relationship"
    AGREEMENT = "Agreement"
    FEEDBACK = "Feedback"
    MESSAGE = "Message"
    ACTION_STEP = "ActionStep"
    MEETING = "Meeting"
    REPORT = "Report"
    REPORTED_MESSAGE = "ReportedMessage"  # a report's copy of one message
    MODERATION_ENTRY = "ModerationEntry"
    VIEWER_EVENT = "ViewerEvent"  # keyed by a random token: events are not stored

    def __init__(self, name: str) -> None:
        # What every id of this kind starts with, before encoding: lists build
        # a hundred ids per request, and `.value` is a descriptor call each time.
        self.prefix = f"{name}:".encode()


_KINDS = {kind.value: kind for kind in Kind}


def decimal_key(text: str) -> int | None:
    """The key a decimal string spells, or None when it spells no possible key."""
    # Ten digits hold MAX_KEY; the length check keeps `int` from parsing a huge string.
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_KEY)):
        return None
    key = int(text)
    return key if key <= MAX_KEY else None


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def global_id(kind: Kind, key: int | str) -> str:
    """The id of the `kind` object with primary key (or token) `key`."""
    # base64url without padding, in C calls only (half of `base64.urlsafe_b64encode`'s time).
    encoded = binascii.b2a_base64(kind.prefix + str(key).encode(), newline=False)
    return encoded.translate(_URLSAFE).rstrip(b"=").decode()


def decode(value: str) -> tuple[Kind, str] | None:
    """The kind and key text of a global id; None for anything this module did not write."""
    if len(value) > MAX_GLOBAL_ID or not value.isascii():
        return None
    try:
        text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        return None
    name, _, key = text.partition(":")
    kind = _KINDS.get(name)
    if kind is None or not key or global_id(kind, key) != value:
        return None
    return kind, key


def key_of(value: str, kind: Kind) -> int | None:
    """The primary key of the `kind` object that `value` names, or None.

    `value` is that object's global id or, for one release, its decimal key.
    """
    decoded = decode(value)
    if decoded is None:
        return decimal_key(value)
    found, key = decoded
    return decimal_key(key) if found is kind else None


def parse_id(value: str, *, what: str) -> int:
    """The primary key behind an id argument naming a `what` (a `Kind`, in lower case).

    An id of another kind, or a malformed one, names no such object (NOT_FOUND).
    """
    key = key_of(value, Kind[what.upper().replace(" ", "_")])
    if key is None:
        raise NotFound(what)
    return key
