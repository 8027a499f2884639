"""Message bodies are encrypted at rest, under keys that can rotate."""

from __future__ import annotations

import base64
import dataclasses
import os
from pathlib import Path

import httpx

from app import Settings
from orm.binding import bound
from orm.database import sqlite_path
from orm.member_keys import MEMBER_KEY_ID
from orm.models import Message
from tests.clock import FakeClock
from tests.conversations import bodies, conversation, send
from tests.live import serve
from tests.people import MESSAGE, Person, new_mentee, new_mentor, reach
from tests.support import Client, key_of

SECRET_TEXT = "Zebra-otter-Quantum-7731: my salary is 71234 and I plan to quit."


def database_bytes(settings: Settings) -> bytes:
    """Every file SQLite keeps for the database: the main file, -wal and -shm."""
    path = sqlite_path(settings.database_url)
    assert path is not None
    files = sorted(path.parent.glob(path.name + "*"))
    assert path in files
    return b"".join(file.read_bytes() for file in files)


async def test_no_message_text_is_anywhere_in_the_database_files(
    settings: Settings, mentor: Person, mentee: Person, chat: str
) -> None:
    await send(mentee, chat, SECRET_TEXT)

    stored = database_bytes(settings)

    assert bodies(await conversation(mentor, chat, last=5)) == [MESSAGE, SECRET_TEXT]
    for text in (SECRET_TEXT, MESSAGE):
        assert text.encode() not in stored
        assert text.encode("utf-16-le") not in stored
    assert b"Zebra-otter" not in stored


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


async def test_rotated_keys_still_open_older_messages(
    tmp_path: Path, settings: Settings, clock: FakeClock
) -> None:
    old, new = _key(), _key()
    first = dataclasses.replace(settings, message_keys=f"k1:{old}")
    async with serve(first) as server, httpx.AsyncClient(base_url=server.http_url) as http:
        anon = Client(http=http)
        mentor = await new_mentor(anon, "rotor@example.org", "Rotor Mentor")
        mentee = await new_mentee(anon, "rotee@example.org", "Rotee Mentee")
        chat = await reach("ACCEPTED", mentor, mentee, clock)
        await send(mentor, chat, "Under the old key")

    rotated = dataclasses.replace(settings, message_keys=f"k2:{new},k1:{old}")
    async with serve(rotated) as server, httpx.AsyncClient(base_url=server.http_url) as http:
        mentee.client = Client(http=http, token=mentee.client.token, user_id=mentee.user_id)
        await send(mentee, chat, "Under the new key")
        shown = bodies(await conversation(mentee, chat, last=5))
        with bound(server.app.state.tortoise):
            stored = await Message.filter(relationship_id=key_of(chat)).order_by("seq")
        key_ids = [message.key_id for message in stored]
        store = server.app.state.services.message_keys.store
        wrapped_by = {wrapped.key_id for m in store.members() if (wrapped := store.load(m))}

    assert shown == [MESSAGE, "Under the old key", "Under the new key"]
    # Each body under its sender's own key, which the new keyring key wraps once read.
    assert key_ids == [MEMBER_KEY_ID] * 3
    assert wrapped_by == {"k2"}
    # So the old keyring key can go.
    only_new = dataclasses.replace(settings, message_keys=f"k2:{new}")
    async with serve(only_new) as server, httpx.AsyncClient(base_url=server.http_url) as http:
        mentee.client = Client(http=http, token=mentee.client.token, user_id=mentee.user_id)
        assert bodies(await conversation(mentee, chat, last=5)) == shown
