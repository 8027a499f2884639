"""Message-body encryption: round trips, rotation, tamper detection."""

from __future__ import annotations

import base64
import os

import pytest

from orm.encryption import Keyring, KeyringError, Sealed, UndecryptableMessage

CONTEXT = b"message:7:42"


def test_a_sealed_body_opens_again_and_does_not_contain_the_plain_text() -> None:
    ring = Keyring.from_secret("secret")

    sealed = ring.seal("Vertraulich: mein Gehalt ✓", CONTEXT)

    assert b"Gehalt" not in sealed.data
    assert ring.open(sealed, CONTEXT) == "Vertraulich: mein Gehalt ✓"


def test_the_same_text_seals_differently_each_time() -> None:
    ring = Keyring.from_secret("secret")

    assert ring.seal("hello", CONTEXT).data != ring.seal("hello", CONTEXT).data


def test_a_body_moved_to_another_conversation_does_not_open() -> None:
    ring = Keyring.from_secret("secret")
    sealed = ring.seal("hello", CONTEXT)

    with pytest.raises(UndecryptableMessage):
        ring.open(sealed, b"message:8:42")


def test_tampered_data_does_not_open() -> None:
    ring = Keyring.from_secret("secret")
    sealed = ring.seal("hello", CONTEXT)
    flipped = bytes([sealed.data[-1] ^ 1])

    with pytest.raises(UndecryptableMessage):
        ring.open(Sealed(sealed.key_id, sealed.data[:-1] + flipped), CONTEXT)


def test_rotation_keeps_old_messages_readable_and_seals_with_the_new_key() -> None:
    old_key, new_key = os.urandom(32), os.urandom(32)
    before = Keyring.parse(f"k1:{base64.b64encode(old_key).decode()}")
    sealed_before = before.seal("written before rotation", CONTEXT)

    after = Keyring.parse(
        f"k2:{base64.b64encode(new_key).decode()},k1:{base64.b64encode(old_key).decode()}"
    )

    assert after.open(sealed_before, CONTEXT) == "written before rotation"
    assert after.seal("new", CONTEXT).key_id == "k2"


def test_a_different_secret_key_cannot_read_the_messages() -> None:
    sealed = Keyring.from_secret("one").seal("hello", CONTEXT)

    with pytest.raises(UndecryptableMessage):
        Keyring.from_secret("two").open(sealed, CONTEXT)


@pytest.mark.parametrize(
    "spec", ["", "nocolon", "k1:not base64!", f"k1:{base64.b64encode(b'short').decode()}"]
)
def test_a_malformed_key_configuration_is_refused(spec: str) -> None:
    with pytest.raises(KeyringError):
        Keyring.parse(spec)
