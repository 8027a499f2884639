"""The custom scalars: their specifications, and DateTime written as its specification asks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from graphql import GraphQLScalarType

from schema import schema
from schema.core.compat_strawberry import graphql_schema
from schema.scalars import instant


def _scalar(name: str) -> GraphQLScalarType:
    found = graphql_schema(schema).type_map[name]
    assert isinstance(found, GraphQLScalarType)
    return found


def test_date_and_datetime_name_their_specifications() -> None:
    assert _scalar("Date").specified_by_url == "https://scalars.graphql.org/andimarek/local-date"
    assert _scalar("DateTime").specified_by_url == "https://scalars.graphql.org/andimarek/date-time"


def test_a_datetime_is_written_in_utc_with_exactly_milliseconds() -> None:
    berlin = timezone(timedelta(hours=1))

    assert instant(datetime(2026, 12, 1, 9, 30, tzinfo=UTC)) == "2026-12-01T09:30:00.000Z"
    assert instant(datetime(2026, 12, 1, 10, 30, 5, 123999, berlin)) == "2026-12-01T09:30:05.123Z"
    assert instant(datetime(2026, 12, 1, 9, 30)) == "2026-12-01T09:30:00.000Z"


def test_the_schema_writes_datetimes_that_way() -> None:
    serialized = _scalar("DateTime").serialize(datetime(2026, 12, 1, 9, 30, 1, 500, UTC))

    assert serialized == "2026-12-01T09:30:01.000Z"
