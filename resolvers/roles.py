"""Who may moderate: the MODERATOR role, granted by the operator (`python -m app grant-role`).

Every moderation field asks `require_moderator` before it reads an argument
or a row, so that anyone else gets the same FORBIDDEN whatever they send,
and learns nothing of what exists.
"""

from __future__ import annotations

from orm.models import User
from resolvers.catalogue import _
from resolvers.errors import Forbidden, Unauthenticated
from resolvers.loaders import Loaders

NOT_A_MODERATOR = _("Only moderators can do this.")


async def is_moderator(loaders: Loaders, viewer: User | None) -> bool:
    return viewer is not None and await loaders.is_moderator.load(viewer.id)


async def require_moderator(loaders: Loaders, viewer: User | None) -> User:
    """The viewer, a moderator; UNAUTHENTICATED without one, FORBIDDEN for anyone else."""
    if viewer is None:
        raise Unauthenticated()
    if not await loaders.is_moderator.load(viewer.id):
        raise Forbidden(NOT_A_MODERATOR)
    return viewer
