"""Each member's data key: made once, wrapped by the keyring, cached boundedly, destroyable."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from orm.encryption import Keyring, UndecryptableMessage
from orm.key_store import FolderKeyStore, KeyStoreError, folder_of_url
from orm.member_keys import MEMBER_KEY_ID, MessageKeys, ShreddedKey

CONTEXT = b"message:7:42"


def _ring(*ids: str) -> tuple[Keyring, dict[str, bytes]]:
    keys = {key_id: os.urandom(32) for key_id in ids}
    spec = ",".join(f"{k}:{base64.b64encode(v).decode()}" for k, v in keys.items())
    return Keyring.parse(spec), keys


def test_a_body_opens_with_its_senders_key_only(tmp_path: Path) -> None:
    ring, _ = _ring("k1")
    keys = MessageKeys(ring, FolderKeyStore(tmp_path / "keys"))

    sealed = keys.seal(42, "Vertraulich", CONTEXT)

    assert sealed.key_id == MEMBER_KEY_ID
    assert keys.open(42, sealed, CONTEXT) == "Vertraulich"
    with pytest.raises(UndecryptableMessage):
        keys.open(43, sealed, CONTEXT)  # another member's key


def test_the_key_store_holds_wrapped_keys_in_private_files(tmp_path: Path) -> None:
    ring, _ = _ring("k1")
    store = FolderKeyStore(tmp_path / "keys")
    MessageKeys(ring, store).seal(42, "hello", CONTEXT)

    path = tmp_path / "keys" / "42.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    wrapped = store.load(42)
    assert wrapped is not None
    assert wrapped.key_id == "k1"
    # Another keyring cannot unwrap it: a copy of the key store alone opens nothing.
    other, _ = _ring("k1")
    with pytest.raises(UndecryptableMessage):
        MessageKeys(other, store).open(42, MessageKeys(ring, store).seal(42, "x", CONTEXT), CONTEXT)


def test_a_destroyed_key_leaves_the_members_bodies_sealed_for_good(tmp_path: Path) -> None:
    ring, _ = _ring("k1")
    store = FolderKeyStore(tmp_path / "keys")
    keys = MessageKeys(ring, store)
    sealed = keys.seal(42, "gone soon", CONTEXT)

    assert keys.destroy(42)

    assert not (tmp_path / "keys" / "42.key").exists()
    for reader in (keys, MessageKeys(ring, store)):
        with pytest.raises(ShreddedKey):
            reader.open(42, sealed, CONTEXT)
    assert not keys.destroy(42)


def test_rotation_rewraps_every_key_so_the_old_keyring_key_can_go(tmp_path: Path) -> None:
    old_ring, old = _ring("k1")
    store = FolderKeyStore(tmp_path / "keys")
    sealed = {member: MessageKeys(old_ring, store).seal(member, "hi", CONTEXT) for member in (1, 2)}
    new_key = os.urandom(32)
    both = Keyring.parse(
        f"k2:{base64.b64encode(new_key).decode()},k1:{base64.b64encode(old['k1']).decode()}"
    )

    assert MessageKeys(both, store).rewrap_all() == 2

    only_new = Keyring.parse(f"k2:{base64.b64encode(new_key).decode()}")
    assert {store.load(m).key_id for m in (1, 2) if store.load(m)} == {"k2"}  # type: ignore[union-attr]
    assert MessageKeys(only_new, store).open(1, sealed[1], CONTEXT) == "hi"


def test_the_cache_of_unwrapped_keys_is_bounded(tmp_path: Path) -> None:
    ring, _ = _ring("k1")
    keys = MessageKeys(ring, FolderKeyStore(tmp_path / "keys"), cache_size=3)

    sealed = [keys.seal(member, "hello", CONTEXT) for member in range(10)]

    assert keys.cached() == 3
    assert [keys.open(m, s, CONTEXT) for m, s in enumerate(sealed)] == ["hello"] * 10
    assert keys.cached() == 3


def test_two_creators_of_one_members_key_agree_on_the_first(tmp_path: Path) -> None:
    ring, _ = _ring("k1")
    store = FolderKeyStore(tmp_path / "keys")
    first, second = MessageKeys(ring, store), MessageKeys(ring, store)

    sealed = first.seal(5, "from the first process", CONTEXT)

    assert second.open(5, sealed, CONTEXT) == "from the first process"
    assert first.open(5, second.seal(5, "and back", CONTEXT), CONTEXT) == "and back"


@pytest.mark.parametrize("url", ["postgres://db/keys", "file://host/keys", "keys", "file://"])
def test_a_key_store_url_other_than_a_local_folder_is_refused(url: str) -> None:
    with pytest.raises(KeyStoreError):
        folder_of_url(url)
