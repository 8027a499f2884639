"""Permission classes for fields that need a signed-in user."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from resolvers.errors import SIGN_IN
from schema.core.context import Info


class IsAuthenticated(BasePermission):
    message = str(SIGN_IN)  # translated on the way out, as a catalogue text
    error_extensions = {"code": "UNAUTHENTICATED"}  # noqa: RUF012 - as BasePermission declares it

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return await info.context.viewer() is not None


# Fields for signed-in users only (`permission_classes=SIGNED_IN`).
SIGNED_IN: list[type[BasePermission]] = [IsAuthenticated]
