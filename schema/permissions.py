"""Permission classes: fields that need a signed-in user, or a moderator."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from resolvers import roles
from resolvers.errors import SIGN_IN
from resolvers.roles import NOT_A_MODERATOR
from schema.core.context import Info


class IsAuthenticated(BasePermission):
    message = str(SIGN_IN)  # translated on the way out, as a catalogue text
    error_extensions = {"code": "UNAUTHENTICATED"}  # noqa: RUF012 - as BasePermission declares it

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return await info.context.viewer() is not None


# Fields for signed-in users only (`permission_classes=SIGNED_IN`).
SIGNED_IN: list[type[BasePermission]] = [IsAuthenticated]


class IsModerator(BasePermission):
    """The viewer holds the MODERATOR role (decided by `resolvers.roles`)."""

    message = str(NOT_A_MODERATOR)  # translated on the way out, as a catalogue text
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 - as BasePermission declares it

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return await roles.is_moderator(info.context.loaders, await info.context.viewer())


# Moderation fields: UNAUTHENTICATED without a token, FORBIDDEN for members
# without the role, before any argument is read (so that nothing is learnt).
MODERATORS: list[type[BasePermission]] = [IsAuthenticated, IsModerator]
