"""Sample rows for the rule tests: users, profiles and relationships, made plainly."""

from __future__ import annotations

from itertools import count
from typing import Any

from orm.models import MenteeProfile, MentorProfile, User

_numbers = count()


async def user() -> User:
    n = next(_numbers)
    return await User.create(email=f"u{n}@example.org", display_name=f"User {n}", password_hash="x")


async def mentor(**fields: Any) -> MentorProfile:
    return await MentorProfile.create(user=await user(), **fields)


async def mentee(**fields: Any) -> MenteeProfile:
    return await MenteeProfile.create(user=await user(), **fields)
