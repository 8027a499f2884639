"""Each member's messages sealed with a data key of their own (crypto-shredding).

A member's data key is 32 random bytes, made when they first write, and
kept in the key store (`orm.key_store`) wrapped by the service's keyring:
so the keyring's rotation covers it (`rewrap_all`, and each key is rewrapped
with the current keyring key when next read), and a copy of the key store
alone opens nothing. Erasing a member destroys their key: every message they
wrote, in the live database and in every backup of it, can no longer be
opened by anyone, the service included.

Bodies sealed with the sender's key carry the key id `MEMBER_KEY_ID`; those
of before (sealed with the keyring itself, migration 0004) still open with
the keyring until migration 0014 moves them. Unwrapped keys are cached per
process, a bounded number, least recently used first out: a conversation
page opens a hundred messages from two senders.
"""

from __future__ import annotations

import base64
import os
import threading
from collections import OrderedDict

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from orm.encryption import KEY_BYTES, NONCE_BYTES, Keyring, Sealed, UndecryptableMessage
from orm.key_store import FolderKeyStore

# The key id of a body sealed with its sender's own data key.
MEMBER_KEY_ID = "@member"
# The key id of a body whose sender erased their account: nothing is left to open.
ERASED_KEY_ID = "@erased"
ERASED_BODY = "[deleted with its author's account]"
# Unwrapped keys one process keeps: about 100 bytes each.
CACHE_SIZE = 10_000


class ShreddedKey(UndecryptableMessage):
    """The member's data key is destroyed: their messages can no longer be opened."""


def _wrapping_context(member_id: int) -> bytes:
    # Binds a wrapped key to its member: a key file copied to another member does not open.
    return f"member-key:{member_id}".encode()


class MessageKeys:
    def __init__(
        self, keyring: Keyring, store: FolderKeyStore, *, cache_size: int = CACHE_SIZE
    ) -> None:
        self.keyring = keyring
        self.store = store
        self._cache: OrderedDict[int, AESGCM] = OrderedDict()
        self._cache_size = cache_size
        # Threads may seal (a migration's executor); the cache's order is shared state.
        self._lock = threading.Lock()

    def _unwrap(self, member_id: int, wrapped: Sealed) -> AESGCM:
        context = _wrapping_context(member_id)
        encoded = self.keyring.open(wrapped, context)
        if wrapped.key_id != self.keyring.current:
            # The keyring rotated since: wrap with its current key from now on.
            self.store.replace(member_id, self.keyring.seal(encoded, context))
        return AESGCM(base64.b64decode(encoded))

    def _cipher(self, member_id: int, *, create: bool) -> AESGCM | None:
        with self._lock:
            cipher = self._cache.get(member_id)
            if cipher is not None:
                self._cache.move_to_end(member_id)
                return cipher
        wrapped = self.store.load(member_id)
        if wrapped is None:
            if not create:
                return None
            key = base64.b64encode(os.urandom(KEY_BYTES)).decode()
            made = self.keyring.seal(key, _wrapping_context(member_id))
            wrapped = self.store.create(member_id, made)
        cipher = self._unwrap(member_id, wrapped)
        with self._lock:
            self._cache[member_id] = cipher
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return cipher

    def seal(self, member_id: int, plaintext: str, associated_data: bytes) -> Sealed:
        """Seal a body the member writes, with their data key (made on first use)."""
        cipher = self._cipher(member_id, create=True)
        assert cipher is not None
        nonce = os.urandom(NONCE_BYTES)
        data = cipher.encrypt(nonce, plaintext.encode(), associated_data)
        return Sealed(key_id=MEMBER_KEY_ID, data=nonce + data)

    def open(self, member_id: int, sealed: Sealed, associated_data: bytes) -> str:
        """The text of a body the member wrote; ShreddedKey once their key is destroyed."""
        if sealed.key_id == ERASED_KEY_ID:
            return ERASED_BODY
        if sealed.key_id != MEMBER_KEY_ID:
            return self.keyring.open(sealed, associated_data)
        cipher = self._cipher(member_id, create=False)
        if cipher is None:
            raise ShreddedKey(f"the data key of member {member_id} is destroyed")
        nonce, data = sealed.data[:NONCE_BYTES], sealed.data[NONCE_BYTES:]
        try:
            return cipher.decrypt(nonce, data, associated_data).decode()
        except InvalidTag:
            raise UndecryptableMessage("the message does not match its key or context") from None

    def destroy(self, member_id: int) -> bool:
        """Destroy the member's data key, here and in the store; False when there was none."""
        with self._lock:
            self._cache.pop(member_id, None)
        return self.store.destroy(member_id)

    def has_key(self, member_id: int) -> bool:
        return self.store.load(member_id) is not None

    def rewrap_all(self) -> int:
        """Wrap every member's key with the keyring's current key: how many were rewrapped.

        After rotating MESSAGE_KEYS, this lets the old keyring key go.
        """
        rewrapped = 0
        for member_id in self.store.members():
            wrapped = self.store.load(member_id)
            if wrapped is not None and wrapped.key_id != self.keyring.current:
                self._unwrap(member_id, wrapped)
                rewrapped += 1
        return rewrapped

    def cached(self) -> int:
        """How many unwrapped keys this process holds (bounded by the cache size)."""
        return len(self._cache)
