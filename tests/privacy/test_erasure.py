"""deleteAccount: the account is gone for good, its messages unreadable even in backups."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import Settings
from orm.database import sqlite_path
from orm.encryption import UndecryptableMessage
from orm.member_keys import ERASED_BODY, MessageKeys
from orm.messages import body_of
from orm.models import Message
from resolvers.ratelimit import POLICIES, MemoryRateLimiter
from tests.clock import FakeClock
from tests.conversations import bodies, conversation, send
from tests.live import LiveServer, connect, serve
from tests.people import Person, act, new_mentee, new_mentor, reach, request
from tests.people import status_of as status_seen_by
from tests.support import Client, key_of

PASSWORD = "correct horse"
SECRET = "Zebra-otter-Quantum-7731: only my mentor may read this."


async def delete(person: Person, password: str = PASSWORD) -> Any:
    return await person.client.op("DeleteAccount", password=password)


async def _until_listening(server: LiveServer, count: int) -> None:
    for _ in range(500):
        if server.hub.listener_count() >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{server.hub.listener_count()} listeners, expected {count}")


async def test_a_wrong_password_changes_nothing_and_counts_as_a_failed_sign_in(
    settings: Settings,
) -> None:
    limiter = MemoryRateLimiter()
    limited = dataclasses.replace(settings, rate_limiter=limiter)
    async with serve(limited) as server, httpx.AsyncClient(base_url=server.http_url) as http:
        mentee = await new_mentee(Client(http=http), "keep@example.org", "Kim Keep")

        reply = await delete(mentee, "not the password")

        assert reply.code == "UNAUTHENTICATED"
        failures = await limiter.usage(POLICIES.login_failures_per_account, "keep@example.org")
        assert failures.hits == 1
        viewer = (await mentee.client.op("Viewer")).data["viewer"]
        assert (viewer["email"], viewer["displayName"]) == ("keep@example.org", "Kim Keep")
        assert viewer["menteeProfile"]["completeness"]["isComplete"]
        login = await Client(http=http).op("Login", email="keep@example.org", password=PASSWORD)
        assert login.data["login"]["user"]["id"] == mentee.user_id


async def test_erasure_ends_sessions_relationships_and_requests_and_frees_the_address(
    server: LiveServer, anon: Client, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    chat = await reach("ACTIVE", mentor, mentee, clock)
    await send(mentee, chat, SECRET)
    other_mentor = await new_mentor(anon, "other@example.org", "Olga Other")
    open_request = await request(mentee, other_mentor)
    async with (
        connect(server, mentee.client.token) as erased_socket,
        connect(server, mentor.client.token) as partner_socket,
    ):
        await erased_socket.subscribe("e", "ViewerEvents")
        await partner_socket.subscribe("p", "ViewerEvents")
        await _until_listening(server, 4)

        assert (await delete(mentee)).data == {"deleteAccount": True}

        assert await erased_socket.close_code() == 4403
        ended = (await partner_socket.next_data("p"))["viewerEvents"]
    assert (ended["kind"], ended["relationship"]) == (
        "RELATIONSHIP_ENDED",
        {"id": chat, "status": "ENDED"},
    )
    assert await status_seen_by(other_mentor, open_request) == "WITHDRAWN"
    assert (await mentee.client.op("Viewer")).data == {"viewer": None}
    listed = (await mentor.client.op("MyRelationships")).data["myRelationships"]
    assert [(r["id"], r["status"], r["mentee"]["displayName"]) for r in listed] == [
        (chat, "ENDED", "Deleted member")
    ]
    seen = await conversation(mentor, chat, last=10)
    assert bodies(seen)[-1] == ERASED_BODY
    assert SECRET not in bodies(seen)
    # The address is free again; the old password opens nothing.
    old = await anon.op("Login", email="mentee@example.org", password=PASSWORD)
    assert old.code == "UNAUTHENTICATED"
    again = await anon.register("mentee@example.org", "Mika Again")
    assert key_of(again.user_id or "") != key_of(mentee.user_id)


async def test_what_the_account_held_is_gone_from_the_database(
    server: LiveServer, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    chat = await reach("ACCEPTED", mentor, mentee, clock)
    await send(mentee, chat, SECRET)
    await act(mentee, "UpdateNotificationSettings", input={"unreadMessages": False})
    await mentee.client.op("CalendarFeed")

    await delete(mentee)

    db = server.app.state.tortoise.db()
    user_id = key_of(mentee.user_id)
    user = (await db.execute_query_dict('SELECT * FROM "user" WHERE id = ?', [user_id]))[0]
    profile = (
        await db.execute_query_dict("SELECT * FROM mentee_profile WHERE user_id = ?", [user_id])
    )[0]
    assert user["email"] != "mentee@example.org"
    assert user["display_name"] == "Deleted member"
    assert user["password_hash"] == ""
    assert (profile["headline"], profile["bio"], profile["contact_links"]) == (None, None, "[]")
    for table in ("session", "notification_settings", "calendar_feed"):
        left = await db.execute_query_dict(
            f"SELECT 1 FROM {table} WHERE user_id = ?",  # noqa: S608 - the test's own names
            [user_id],
        )
        assert left == [], table
    assert not server.app.state.services.message_keys.has_key(user_id)


async def test_a_backup_taken_before_erasure_no_longer_opens_the_erased_members_messages(
    settings: Settings,
    anon: Client,
    server: LiveServer,
    mentor: Person,
    mentee: Person,
    clock: FakeClock,
) -> None:
    chat = await reach("ACTIVE", mentor, mentee, clock)
    await send(mentee, chat, SECRET)
    await send(mentor, chat, "The mentor's own reply")
    path = sqlite_path(settings.database_url)
    assert path is not None
    backup = path.parent.parent / "backup.sqlite3"
    await server.app.state.tortoise.db().execute_script("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(path, backup)
    keys: MessageKeys = server.app.state.services.message_keys
    stored_before = _messages_in(backup)
    assert {body_of(row, keys) for row in stored_before} >= {SECRET, "The mentor's own reply"}

    await delete(mentee)

    # The backup restored: the service's keys open the partner's messages, not the erased one's.
    restored = MessageKeys(keys.keyring, keys.store)
    mentee_id = key_of(mentee.user_id)
    for row in _messages_in(backup):
        if row.sender_id == mentee_id:
            with pytest.raises(UndecryptableMessage):
                body_of(row, restored)
        else:
            assert body_of(row, restored) != ERASED_BODY
    assert SECRET.encode() not in backup.read_bytes()


def _messages_in(database: Path) -> list[Message]:
    """The message rows of a copy of the database, read without the service."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT id, relationship_id, sender_id, seq, body_sealed, key_id FROM message"
        ).fetchall()
    return [
        Message(
            id=row[0],
            relationship_id=row[1],
            sender_id=row[2],
            seq=row[3],
            body_sealed=bytes(row[4]),
            key_id=row[5],
        )
        for row in rows
    ]
