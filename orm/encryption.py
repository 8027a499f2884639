"""Message bodies encrypted at rest: AES-256-GCM with a key id per row.

The current key encrypts; every key of the ring decrypts, so keys rotate by
adding a new current key and keeping the old ones until no row uses them.
By default the ring holds one key derived from SECRET_KEY (HKDF), so an
installation needs no extra configuration; `MESSAGE_KEYS` overrides it.
Associated data binds a ciphertext to its conversation and sender: a row
copied into another conversation does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_BYTES = 12
KEY_BYTES = 32
DERIVED_KEY_ID = "s1"


class KeyringError(ValueError):
    pass


class UndecryptableMessage(Exception):
    """The key is unknown or the data was tampered with."""


@dataclass(frozen=True)
class Sealed:
    key_id: str
    data: bytes  # nonce followed by ciphertext and tag


def derive_key(secret_key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"message-body v1")
    return hkdf.derive(secret_key.encode())


class Keyring:
    def __init__(self, keys: Mapping[str, bytes], current: str) -> None:
        if current not in keys:
            raise KeyringError(f"the current key id {current!r} is not in the ring")
        if any(len(key) != KEY_BYTES for key in keys.values()):
            raise KeyringError(f"every key must have {KEY_BYTES} bytes")
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self.current = current

    @classmethod
    def from_secret(cls, secret_key: str) -> Keyring:
        return cls({DERIVED_KEY_ID: derive_key(secret_key)}, DERIVED_KEY_ID)

    @classmethod
    def parse(cls, spec: str) -> Keyring:
        """`id:base64key,id:base64key`: the first entry is the current key."""
        keys: dict[str, bytes] = {}
        for entry in filter(None, (part.strip() for part in spec.split(","))):
            key_id, separator, encoded = entry.partition(":")
            if not separator or not key_id:
                raise KeyringError("MESSAGE_KEYS entries look like id:base64key")
            try:
                keys[key_id] = base64.b64decode(encoded, validate=True)
            except binascii.Error:
                raise KeyringError(f"key {key_id!r} is not valid base64") from None
        if not keys:
            raise KeyringError("MESSAGE_KEYS names no key")
        return cls(keys, next(iter(keys)))

    def seal(self, plaintext: str, associated_data: bytes) -> Sealed:
        nonce = os.urandom(NONCE_BYTES)
        data = self._ciphers[self.current].encrypt(nonce, plaintext.encode(), associated_data)
        return Sealed(key_id=self.current, data=nonce + data)

    def open(self, sealed: Sealed, associated_data: bytes) -> str:
        cipher = self._ciphers.get(sealed.key_id)
        if cipher is None:
            raise UndecryptableMessage(f"unknown key id {sealed.key_id!r}")
        nonce, data = sealed.data[:NONCE_BYTES], sealed.data[NONCE_BYTES:]
        try:
            return cipher.decrypt(nonce, data, associated_data).decode()
        except InvalidTag:
            raise UndecryptableMessage("the message does not match its key or context") from None
