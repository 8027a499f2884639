"""The data folder and the files the service keeps in it are its own: 0700 and 0600.

They hold e-mails, password hashes, sessions and, unless the keys come from
the environment, the key that opens every message. The modes are set
explicitly, whatever the process's umask, and on every start, so that a
folder created by an older version (0755, files 0644) is closed too.

SQLite creates its companion files (`-wal`, `-shm`, `-journal`) with the
main file's permissions, so creating the database file 0600 before SQLite
opens it makes them 0600 as well.
"""

from __future__ import annotations

import logging
import os
import stat
from contextlib import suppress
from pathlib import Path

logger = logging.getLogger(__name__)

FOLDER_MODE = 0o700
FILE_MODE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_folder(folder: Path) -> None:
    """Create `folder` (and its parents) if missing, and make it the owner's alone.

    A folder that others share (sticky, or writable by everyone, as /tmp) is
    left as it is: run as root with a database in /tmp, the service made
    /tmp 0700, and every other user of it (a PostgreSQL server's data
    folder below it, for one) stopped working. Its files stay private.
    """
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if folder.stat().st_mode & (stat.S_ISVTX | stat.S_IWOTH):
        logger.warning("leaving %s as it is: other users share it; its files stay private", folder)
        return
    try:
        os.chmod(folder, FOLDER_MODE)
    except PermissionError:
        # Not ours (a shared folder chosen by the operator): the files stay private.
        logger.warning("cannot make %s private (mode 0700): it belongs to another user", folder)


def private_file(path: Path) -> None:
    """Create `path` empty if missing (never truncating it), readable by the owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)


def tighten(path: Path) -> None:
    """Make an existing file the owner's alone; a missing one is left missing."""
    with suppress(FileNotFoundError):
        os.chmod(path, FILE_MODE)


def private_sqlite_file(path: Path) -> None:
    """The SQLite file's folder and the file itself, private before SQLite opens it."""
    private_folder(path.parent)
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        tighten(path.with_name(path.name + suffix))
