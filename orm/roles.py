"""Roles the operator grants from the command line (`python -m app grant-role`)."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError

from orm.models import Role, User
from orm.vocabulary import RoleName


class NoSuchAccount(Exception):
    pass


async def _user_id(email: str) -> int:
    user = await User.get_or_none(email=email)
    if user is None:
        raise NoSuchAccount(email)
    return user.id


async def grant(email: str, role: RoleName, at: datetime) -> bool:
    """Give the account the role: False when it had it already."""
    user_id = await _user_id(email)
    if await Role.filter(user_id=user_id, name=role).exists():
        return False
    try:
        await Role.create(user_id=user_id, name=role, granted_at=at)
    except IntegrityError:
        return False  # granted by another command meanwhile: the unique index decides
    return True


async def revoke(email: str, role: RoleName) -> bool:
    """Take the role away: False when the account did not have it."""
    user_id = await _user_id(email)
    return bool(await Role.filter(user_id=user_id, name=role).delete())


async def has_role(user_id: int, role: RoleName) -> bool:
    return await Role.filter(user_id=user_id, name=role).exists()


async def holders(role: RoleName) -> list[str]:
    """The e-mail addresses of the accounts holding the role, sorted."""
    ids = await Role.filter(name=role).values_list("user_id", flat=True)
    emails = await User.filter(id__in=list(ids)).order_by("email").values_list("email", flat=True)
    return [str(email) for email in emails]


async def holding(role: RoleName, user_ids: list[int]) -> list[bool]:
    """For each user id, in order: whether that account holds the role (one statement)."""
    rows = await Role.filter(name=role, user_id__in=user_ids).values("user_id")
    found = {int(row["user_id"]) for row in rows}
    return [user_id in found for user_id in user_ids]
