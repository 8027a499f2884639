"""Rows read by hand-written SQL become whole models or records, never half-filled models."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tortoise.context import TortoiseContext

from orm.accounts import create_session, create_user, live_session_user
from orm.models import MentorProfile, User
from orm.records import UserName, model_reader
from orm.search import mentors_by_id

NOW = datetime(2030, 1, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


async def test_a_session_user_is_whole_and_saving_it_keeps_every_column(
    db: TortoiseContext,
) -> None:
    created = await create_user("ada@example.org", "Ada", "hash-of-secret")
    await create_session(created, "s1", created_at=NOW, expires_at=NOW + timedelta(days=1))
    user = await live_session_user("s1", created.id, NOW)
    assert user is not None
    assert (user.email, user.password_hash) == ("ada@example.org", "hash-of-secret")
    user.display_name = "Ada L."
    await user.save()
    stored = await User.get(id=created.id)
    assert (stored.email, stored.password_hash, stored.display_name) == (
        "ada@example.org",
        "hash-of-secret",
        "Ada L.",
    )


async def test_a_row_that_lacks_a_column_is_refused(db: TortoiseContext) -> None:
    with pytest.raises(KeyError, match="password_hash"):
        model_reader(User)({"id": 1, "email": "a@example.org", "display_name": "A"})


async def test_a_found_mentor_carries_its_users_name_not_a_user(db: TortoiseContext) -> None:
    user = await create_user("m@example.org", "Mia", "hash")
    profile = await MentorProfile.create(user=user, languages=["de"], is_complete=True)
    found = (await mentors_by_id([profile.id]))[profile.id]
    assert found.user == UserName(id=user.id, display_name="Mia")
    assert found.profile.languages == ["de"]
    assert found.profile.is_complete is True


def test_no_typing_cast_in_the_typed_packages() -> None:
    """A cast makes mypy believe a value is what it is not; the typed layers use none."""
    for package in ("schema", "resolvers", "orm"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text())
            casts = [
                node.lineno
                for node in ast.walk(tree)
                if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name | ast.Attribute)
                and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) == "cast"
            ]
            assert casts == [], f"{path.relative_to(ROOT)}: cast at lines {casts}"
