"""Where the members' message keys live: apart from the database, so that a
restored database backup never brings a destroyed key back.

A `FolderKeyStore` keeps one file per member (`<member id>.key`, 0600) in a
folder of its own (0700): by default `keys/` beside the SQLite file, or the
folder `KEY_STORE_URL` (`file:///path`) names, which several processes on one
host (or a shared mount) use together. A file holds the member's data key
wrapped by the service's keyring (`orm.encryption`): its key id on the first
line, the sealed key in base64 on the second. Files are written whole under
a temporary name and linked into place, so that a reader never sees half a
key, and the first of two concurrent creators wins for both.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from contextlib import suppress
from pathlib import Path
from urllib.parse import unquote, urlparse

from orm.encryption import Sealed
from orm.private_files import FILE_MODE, private_folder

SUFFIX = ".key"


class KeyStoreError(ValueError):
    """A key store setting or file that cannot be used."""


def folder_of_url(url: str) -> Path:
    """The folder a `file:///path` KEY_STORE_URL names."""
    parsed = urlparse(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost") or not parsed.path:
        raise KeyStoreError("must be a file:///absolute/path URL of a folder")
    return Path(unquote(parsed.path))


class FolderKeyStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        private_folder(folder)

    def _path(self, member_id: int) -> Path:
        return self.folder / f"{int(member_id)}{SUFFIX}"

    def load(self, member_id: int) -> Sealed | None:
        """The member's wrapped key; None when it was never made or is destroyed."""
        try:
            text = self._path(member_id).read_text(encoding="ascii")
        except FileNotFoundError:
            return None
        key_id, _, encoded = text.strip().partition("\n")
        try:
            return Sealed(key_id=key_id, data=base64.b64decode(encoded, validate=True))
        except binascii.Error:
            raise KeyStoreError(f"the key file of member {member_id} is damaged") from None

    def _write_new(self, wrapped: Sealed) -> Path:
        temporary = self.folder / f".{secrets.token_hex(8)}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(f"{wrapped.key_id}\n{base64.b64encode(wrapped.data).decode()}\n")
            handle.flush()
            os.fsync(handle.fileno())
        return temporary

    def create(self, member_id: int, wrapped: Sealed) -> Sealed:
        """Store the member's first key; the one stored first when another creator won."""
        temporary = self._write_new(wrapped)
        try:
            os.link(temporary, self._path(member_id))
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
        stored = self.load(member_id)
        assert stored is not None, "a key linked into place is never removed but by destroy"
        return stored

    def replace(self, member_id: int, wrapped: Sealed) -> None:
        """Write the member's key anew (wrapped by another keyring key), atomically."""
        os.replace(self._write_new(wrapped), self._path(member_id))

    def destroy(self, member_id: int) -> bool:
        """Overwrite and remove the member's key; False when there was none."""
        path = self._path(member_id)
        try:
            size = path.stat().st_size
            with path.open("r+b") as handle:
                handle.write(b"\0" * size)
                handle.flush()
                os.fsync(handle.fileno())
            path.unlink()
        except FileNotFoundError:
            return False
        with suppress(OSError):
            directory = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        return True

    def members(self) -> list[int]:
        """Every member with a key, in id order."""
        return sorted(
            int(path.stem) for path in self.folder.glob(f"*{SUFFIX}") if path.stem.isdigit()
        )
