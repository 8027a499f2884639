"""A member's own account settings: the display name and the locale.

`updateAccount` is a partial update: only what the client sent changes, and
an explicit null for either field is refused (neither can be cleared).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orm import accounts as account_rows
from orm.models import User
from orm.vocabulary import Locale
from resolvers import validation
from resolvers.accounts import MAX_DISPLAY_NAME_LENGTH
from resolvers.catalogue import _
from resolvers.errors import BadUserInput


def locale_of(user: User) -> Locale:
    """The language the member reads: e-mails, and responses without Accept-Language."""
    return Locale(user.locale)


def _not_null(field: str, value: Any) -> Any:
    if value is None:
        raise BadUserInput(field, _("must not be null."))
    return value


async def update_account(viewer: User, changes: Mapping[str, Any]) -> User:
    """Apply the sent fields (`displayName`, `locale`); the account as it is now."""
    columns: dict[str, Any] = {}
    if "displayName" in changes:
        name = _not_null("displayName", changes["displayName"])
        columns["display_name"] = validation.required_text(
            "displayName", name, max_length=MAX_DISPLAY_NAME_LENGTH
        )
    if "locale" in changes:
        columns["locale"] = Locale(_not_null("locale", changes["locale"]))
    await account_rows.update_user(viewer.id, columns)
    viewer.update_from_dict(columns)
    return viewer
