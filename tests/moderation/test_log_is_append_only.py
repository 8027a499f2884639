"""The moderation log cannot be changed: the database refuses UPDATE and DELETE on it.

On SQLite and on PostgreSQL alike, whoever runs the statement (the service's
code, or someone with the service's database account): a trigger of
migration 0011 refuses it, and the entry stays as it was written.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tortoise.context import TortoiseContext
from tortoise.exceptions import OperationalError

from orm import moderation
from orm.models import ModerationEntry, User
from orm.vocabulary import ModerationAction
from tests.moderation.engines import migrated

__all__ = ["migrated"]

AT = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


async def _entry() -> ModerationEntry:
    moderator = await User.create(email="m@example.org", display_name="M", password_hash="x")
    member = await User.create(email="u@example.org", display_name="U", password_hash="x")
    return await moderation.record(moderator.id, member.id, ModerationAction.SUSPEND, "Spam.", AT)


async def test_an_update_is_refused_and_the_entry_stays(migrated: TortoiseContext) -> None:
    entry = await _entry()

    with pytest.raises(OperationalError, match="append-only"):
        await migrated.db().execute_query("UPDATE moderation_log SET reason = 'Nothing happened.'")
    with pytest.raises(OperationalError, match="append-only"):
        await ModerationEntry.filter(id=entry.id).update(action=ModerationAction.REINSTATE)

    kept = await ModerationEntry.get(id=entry.id)
    assert (kept.reason, kept.action) == ("Spam.", ModerationAction.SUSPEND)


async def test_a_delete_is_refused_and_the_entry_stays(migrated: TortoiseContext) -> None:
    entry = await _entry()

    with pytest.raises(OperationalError, match="append-only"):
        await migrated.db().execute_query("DELETE FROM moderation_log")
    with pytest.raises(OperationalError, match="append-only"):
        await ModerationEntry.filter(id=entry.id).delete()

    assert await ModerationEntry.all().count() == 1


async def test_deleting_the_members_leaves_the_log_whole(migrated: TortoiseContext) -> None:
    entry = await _entry()

    await User.all().delete()

    assert (await ModerationEntry.get(id=entry.id)).member_id == entry.member_id
