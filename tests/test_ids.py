"""Global ids: one spelling per object, never shared across kinds, old decimal keys by kind."""

from __future__ import annotations

import base64

import pytest

from resolvers.errors import NotFound
from resolvers.ids import MAX_KEY, Kind, decode, global_id, key_of, parse_id


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("key", [0, 1, 42, 12345, MAX_KEY])
def test_an_id_reads_back_as_its_kind_and_key(kind: Kind, key: int) -> None:
    written = global_id(kind, key)

    assert decode(written) == (kind, str(key))
    assert key_of(written, kind) == key
    assert written.isascii()
    assert not {"=", "+", "/"} & set(written)


def test_the_same_key_of_two_kinds_gives_two_ids() -> None:
    ids = {global_id(kind, 7) for kind in Kind}

    assert len(ids) == len(Kind)
    assert key_of(global_id(Kind.MENTOR, 7), Kind.MEMBER) is None


def test_only_the_canonical_spelling_is_read() -> None:
    written = global_id(Kind.RELATIONSHIP, 5)
    padded = base64.urlsafe_b64encode(b"Relationship:5").decode()
    standard = base64.b64encode(b"Relationship:5?").decode()

    assert padded != written
    assert decode(padded) is None
    assert decode(standard) is None
    assert key_of(written + "A", Kind.RELATIONSHIP) is None
    assert key_of(written.replace("U", "u", 1), Kind.RELATIONSHIP) is None


def test_an_old_decimal_key_names_an_object_of_the_kind_asked_for() -> None:
    assert key_of("17", Kind.RELATIONSHIP) == 17
    assert parse_id("17", what="mentor") == 17
    assert key_of(str(MAX_KEY + 1), Kind.RELATIONSHIP) is None
    assert key_of("-1", Kind.RELATIONSHIP) is None
    # Arabic-Indic digits are digits to Python, not keys.
    assert key_of("\u0661\u0667", Kind.RELATIONSHIP) is None


@pytest.mark.parametrize("value", ["", "x", "1.5", global_id(Kind.MENTOR, 3), "9" * 40])
def test_anything_else_is_not_found_naming_what_was_asked(value: str) -> None:
    with pytest.raises(NotFound, match="No such relationship"):
        parse_id(value, what="relationship")
