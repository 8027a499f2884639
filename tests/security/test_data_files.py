"""The data folder is the service's alone: the folder 0700, every file in it 0600.

A copy of the folder must not hand anyone the database (e-mails, password
hashes, sessions) or, with the keys given in the environment, the key that
opens the messages.
"""

from __future__ import annotations

import base64
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import SECRET_KEY_FILE, create_app
from tests.support import Client, NoRateLimits, running, settings_for

MESSAGE_KEYS = "k1:" + base64.b64encode(b"k" * 32).decode()


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """Run as most services do, with the umask that makes new files world-readable."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes(folder: Path) -> dict[str, int]:
    return {path.name: mode(path) for path in folder.iterdir()}


def not_private(folder: Path) -> dict[str, int]:
    """Whatever under `folder` is not the owner's alone: files not 0600, folders not 0700
    (the members' key store, `keys/`, is a folder of its own there by default)."""
    return {
        str(path.relative_to(folder)): mode(path)
        for path in folder.rglob("*")
        if mode(path) != (0o700 if path.is_dir() else 0o600)
    }


async def write_something(tmp_path: Path, **settings: Any) -> Path:
    """Start the app on `tmp_path/data`, register a user while it runs; the data folder."""
    # An empty folder: the app creates the database itself (no migrated copy).
    app = create_app(
        settings_for(tmp_path, migrated=False, rate_limiter=NoRateLimits(), **settings)
    )
    folder = tmp_path / "data"
    async with running(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            await Client(http=http).register("files@example.org")
        # While the app runs, the write-ahead log and its index exist.
        assert {"test.sqlite3-wal", "test.sqlite3-shm"} <= set(modes(folder)), modes(folder)
        assert mode(folder) == 0o700
        assert not_private(folder) == {}
    return folder


async def test_a_fresh_data_folder_and_every_file_in_it_are_private(tmp_path: Path) -> None:
    folder = await write_something(tmp_path, message_keys=MESSAGE_KEYS)

    assert mode(folder) == 0o700
    assert not_private(folder) == {}


async def test_keys_from_the_environment_leave_no_key_material_in_the_folder(
    tmp_path: Path,
) -> None:
    # The members' message keys in a key store of their own, elsewhere.
    key_store = f"file://{tmp_path / 'key-store'}"
    folder = await write_something(tmp_path, message_keys=MESSAGE_KEYS, key_store_url=key_store)

    assert set(modes(folder)) <= {
        "test.sqlite3",
        "test.sqlite3-wal",
        "test.sqlite3-shm",
        "test.sqlite3.migrating",
    }


async def test_a_generated_secret_key_is_private_too(tmp_path: Path) -> None:
    folder = await write_something(tmp_path, secret_key=None)

    assert mode(folder / SECRET_KEY_FILE) == 0o600
    assert mode(folder) == 0o700


async def test_an_existing_open_folder_and_its_files_are_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    with sqlite3.connect(folder / "test.sqlite3") as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE leftover (x)")
    (folder / SECRET_KEY_FILE).write_text("an-old-generated-secret-key-of-enough-length")
    os.chmod(folder / SECRET_KEY_FILE, 0o644)
    assert mode(folder / "test.sqlite3") == 0o644

    await write_something(tmp_path, secret_key=None)

    assert mode(folder) == 0o700
    assert not_private(folder) == {}


async def test_a_folder_others_share_is_left_as_it_is_and_its_files_are_private(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # As /tmp: the service run as root once made it 0700 for every other user.
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)  # noqa: S103 - the shared folder under test
    settings = settings_for(
        tmp_path,
        database_url=f"sqlite://{shared / 'test.sqlite3'}",
        key_store_url=f"file://{tmp_path / 'keys'}",
    )

    async with running(create_app(settings)) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            await Client(http=http).register("shared@example.org", "Sam Shared")

    assert mode(shared) == 0o1777
    assert mode(shared / "test.sqlite3") == 0o600
    assert any("other users share it" in r.getMessage() for r in caplog.records)
