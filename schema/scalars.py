"""The custom scalars as clients read them, each linked to its specification
(`@specifiedBy`), so that code generators and GraphiQL know the format.

`Date` is Strawberry's own (ISO 8601 `2026-12-01` both ways). `DateTime`
parses as Strawberry's does, and answers as its specification asks: UTC,
written `Z`, with exactly three digits of milliseconds
(`2026-12-01T09:30:00.123Z`), which is also what JavaScript's
`Date.toISOString()` writes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from strawberry.schema.types.base_scalars import DateDefinition, DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition


def instant(value: datetime) -> str:
    """RFC 3339 in UTC with milliseconds; a naive value is UTC, as the ORM stores them."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    written = aware.astimezone(UTC).isoformat(timespec="milliseconds")
    return written.removesuffix("+00:00") + "Z"


SCALARS: dict[object, ScalarDefinition] = {
    date: replace(
        DateDefinition,
        description="A calendar day in ISO 8601, `2026-12-01`, without time or time zone.",
        specified_by_url="https://scalars.graphql.org/andimarek/local-date",
    ),
    datetime: replace(
        DateTimeDefinition,
        description="An instant, RFC 3339 with milliseconds, in UTC: `2026-12-01T09:30:00.123Z`.",
        specified_by_url="https://scalars.graphql.org/andimarek/date-time",
        serialize=instant,
    ),
}
