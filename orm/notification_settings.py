"""A member's e-mail switches: read, changed in part, one switched off.

No row means every switch is on; the first change writes the row. Each write
is one `INSERT ... ON CONFLICT (user_id) DO UPDATE ... RETURNING` (SQLite and
PostgreSQL alike), so that two changes at once cannot lose either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from orm.sql import Params, connection, dialect_of, fetch, fetch_bounded
from orm.vocabulary import NotificationSetting


@dataclass(frozen=True, slots=True)
class Switches:
    """Each switch of one member: True sends that kind of e-mail."""

    request_received: bool = True
    request_answered: bool = True
    request_reminders: bool = True
    agreement_proposed: bool = True
    unread_messages: bool = True
    meeting_reminders: bool = True

    def allows(self, setting: NotificationSetting) -> bool:
        allowed: bool = getattr(self, setting.value)
        return allowed


COLUMNS = tuple(field.name for field in fields(Switches))
assert set(COLUMNS) == {setting.value for setting in NotificationSetting}


def _switches(row: Mapping[str, Any]) -> Switches:
    # SQLite returns the booleans as 0 and 1.
    return Switches(**{column: bool(row[column]) for column in COLUMNS})


async def of(user_id: int) -> Switches:
    db = connection()
    params = Params(dialect_of(db))
    sql = (
        f"SELECT {', '.join(COLUMNS)} FROM notification_settings"  # noqa: S608 - placeholders
        f" WHERE user_id = {params.add(user_id)}"
    )
    found = await fetch_bounded(db, sql, params)
    return _switches(found[0]) if found else Switches()


async def change(user_id: int, changes: Mapping[NotificationSetting, bool]) -> Switches:
    """Set the switches named in `changes`, leave the others; the member's switches after."""
    if not changes:
        return await of(user_id)
    db = connection()
    params = Params(dialect_of(db))
    # A new row starts from the defaults, with the changes applied.
    values = dict.fromkeys(COLUMNS, True) | {s.value: on for s, on in changes.items()}
    names = ", ".join(("user_id", *values))
    placeholders = ", ".join((params.add(user_id), *(params.add(on) for on in values.values())))
    updates = ", ".join(f"{setting.value} = excluded.{setting.value}" for setting in changes)
    sql = (
        f"INSERT INTO notification_settings ({names}) VALUES ({placeholders})"  # noqa: S608 - placeholders
        f" ON CONFLICT (user_id) DO UPDATE SET {updates} RETURNING {', '.join(COLUMNS)}"
    )
    found = await fetch(db, sql, params)
    return _switches(found[0])
