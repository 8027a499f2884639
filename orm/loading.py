"""Batch lookups behind the per-request DataLoaders: one query per batch.

Each returns one entry per requested key, in the keys' order, None where no
row exists, as DataLoader requires.
"""

from __future__ import annotations

from collections.abc import Sequence

from orm.models import MenteeProfile, MentorProfile, User


async def users_by_id(ids: Sequence[int]) -> list[User | None]:
    rows = {user.id: user for user in await User.filter(id__in=list(ids))}
    return [rows.get(key) for key in ids]


async def mentor_profiles_by_user(user_ids: Sequence[int]) -> list[MentorProfile | None]:
    rows = await MentorProfile.filter(user_id__in=list(user_ids))
    by_user = {row.user_id: row for row in rows}
    return [by_user.get(key) for key in user_ids]


async def mentee_profiles_by_user(user_ids: Sequence[int]) -> list[MenteeProfile | None]:
    rows = await MenteeProfile.filter(user_id__in=list(user_ids))
    by_user = {row.user_id: row for row in rows}
    return [by_user.get(key) for key in user_ids]
