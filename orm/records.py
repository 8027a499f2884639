"""Light read records: rows of hand-written SELECTs, without ORM instances.

A Tortoise instance costs about 25 us to build (every column converted
through the field's `to_python_value`, 2.6 us for a datetime alone), which
for a list of 20 relationships with their terms and last messages came to
more than the rest of the request. Read paths that serve many rows build
these records instead: the same attribute names as the models, so code
that reads either takes their union, and only the columns whose stored form
differs (text dates and JSON on SQLite) converted, by the C parsers.

Where a caller needs the model itself (it may be saved later), `model_reader`
builds a whole one from a row of every column, through Tortoise's public
`Model.construct`: a row that lacks a column raises instead of leaving a
half-filled instance for a later `.save()` to write back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import orjson
from tortoise.fields import BooleanField, DateField, DatetimeField, Field, JSONField
from tortoise.models import Model

from orm.models import ActionStep, Agreement, Meeting, Message, Relationship
from orm.sql import Params, connection, dialect_of, fetch_bounded

R = TypeVar("R")
M = TypeVar("M", bound=Model)


def _datetime(value: Any) -> Any:
    # SQLite holds ISO text with its offset; asyncpg returns aware datetimes.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # as the ORM reads naive values (USE_TZ)
    return value


def _date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _json(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def _bool(value: Any) -> Any:
    # SQLite returns 0 and 1.
    return value if value is None else bool(value)


def _converter(field_type: type[Field[Any]] | None) -> Callable[[Any], Any] | None:
    """How a column's stored value becomes its Python value; None: as the driver returns it."""
    if field_type is None:
        return None
    if issubclass(field_type, BooleanField):
        return _bool
    if issubclass(field_type, DatetimeField):
        return _datetime
    if issubclass(field_type, DateField):
        return _date
    if issubclass(field_type, JSONField):
        return _json
    return None


def _columns(model: type[Model]) -> dict[str, tuple[str, type[Field[Any]]]]:
    """Per field of `model`: its column and its field class, from Tortoise's public `describe`.

    Asked once the models are initialised: Tortoise adds foreign key columns at init.
    """
    described = model.describe(serializable=False)
    return {
        field["name"]: (field["db_column"], field["field_type"])
        for field in (described["pk_field"], *described["data_fields"])
    }


@dataclass(slots=True)
class RelationshipRecord:
    id: int
    mentor_id: int
    mentee_id: int
    status: str
    request_topics: Any
    request_goals: str | None
    created_at: datetime
    responded_at: datetime | None
    decline_reason: str | None
    ended_at: datetime | None
    end_reason: str | None
    starts_on: date | None
    ends_on: date | None
    last_seq: int
    mentor_read_seq: int
    mentee_read_seq: int


@dataclass(slots=True)
class AgreementRecord:
    id: int
    relationship_id: int
    version: int
    proposed_by_id: int
    status: str
    goals: Any
    topics: Any
    expectations: str | None
    cadence: str
    channels: Any
    starts_on: date
    ends_on: date
    created_at: datetime
    accepted_at: datetime | None


@dataclass(slots=True)
class MessageRecord:
    id: int
    relationship_id: int
    sender_id: int
    seq: int
    body_sealed: bytes
    key_id: str
    client_message_id: str | None
    created_at: datetime


@dataclass(slots=True)
class ActionStepRecord:
    id: int
    relationship_id: int
    title: str
    notes: str | None
    due_on: date | None
    owner_id: int
    created_by_id: int
    done_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class MeetingRecord:
    id: int
    relationship_id: int
    proposed_by_id: int
    starts_at: datetime
    ends_at: datetime
    duration_minutes: int
    channel: str
    location: str | None
    agenda: str | None
    status: str
    cancel_reason: str | None
    sequence: int
    created_at: datetime
    updated_at: datetime
    confirmed_at: datetime | None


@dataclass(frozen=True, slots=True)
class UserName:
    """A user as other members see them: the id and display name, nothing else.

    What a read joins onto a mentor or a partner; not a `User`, which has an
    e-mail address and a password hash this read never saw.
    """

    id: int
    display_name: str


MODEL_OF: dict[type, type[Model]] = {
    RelationshipRecord: Relationship,
    AgreementRecord: Agreement,
    MessageRecord: Message,
    ActionStepRecord: ActionStep,
    MeetingRecord: Meeting,
}


def columns(record: type, prefix: str, alias: str) -> str:
    """The SELECT list of `record`'s columns from table `alias`, each named `prefix` + column."""
    return ", ".join(f"{alias}.{name} AS {prefix}{name}" for name in _names(record))


def reader(record: type[R], prefix: str = "") -> Callable[[Mapping[str, Any]], R]:
    """Builds a `record` from a row holding its columns under `prefix`."""
    plan = _plan(record, prefix)

    def read(row: Mapping[str, Any]) -> R:
        return record(
            *[convert(row[column]) if convert else row[column] for column, convert in plan]
        )

    return read


# Planned once per record type, when first read (the models are initialised by then).
_READERS: dict[type, Callable[[Mapping[str, Any]], Any]] = {}


def _reader_of(record: type[R]) -> Callable[[Mapping[str, Any]], R]:
    read = _READERS.get(record)
    if read is None:
        read = _READERS[record] = reader(record)
    return read


async def by_relationship(
    record: type[R], table: str, relationship_ids: Sequence[int], order_by: str
) -> list[list[R]]:
    """Each relationship's rows of `table` as `record`s, in `order_by`, in one query for all.

    `table` and `order_by` are this code's own SQL (names and columns), never input.
    """
    db = connection()
    params = Params(dialect_of(db))
    sql = (
        f"SELECT {columns(record, '', 't')} FROM {table} t"  # noqa: S608 - placeholders only
        f" WHERE t.relationship_id IN ({params.add_all(relationship_ids)}) ORDER BY {order_by}"
    )
    read = _reader_of(record)
    found: dict[int, list[R]] = {key: [] for key in relationship_ids}
    for row in await fetch_bounded(db, sql, params):
        found[row["relationship_id"]].append(read(row))
    return [found[key] for key in relationship_ids]


def _names(record: type[Any]) -> tuple[str, ...]:
    return tuple(field.name for field in fields(record))


# Per field, in the record's order: its column in the row, and its converter.
Plan = tuple[tuple[str, Callable[[Any], Any] | None], ...]


def _plan(record: type[Any], prefix: str) -> Plan:
    columns = _columns(MODEL_OF[record])
    steps = []
    for name in _names(record):
        column = columns.get(name)
        steps.append((prefix + name, _converter(column[1] if column else None)))
    return tuple(steps)


def model_reader(model: type[M]) -> Callable[[Mapping[str, Any]], M]:
    """Builds a whole `model` instance, as stored, from a row holding every column of its table.

    Extra columns in the row are ignored; a missing one raises KeyError.
    """
    plans: list[tuple[tuple[str, str, Callable[[Any], Any] | None], ...]] = []

    def read(row: Mapping[str, Any]) -> M:
        if not plans:  # planned at first use: Tortoise adds foreign key columns at init
            plans.append(_model_plan(model))
        values = {
            name: convert(row[column]) if convert else row[column]
            for name, column, convert in plans[0]
        }
        return model.construct(_saved_in_db=True, **values)

    return read


def _model_plan(model: type[Model]) -> tuple[tuple[str, str, Callable[[Any], Any] | None], ...]:
    return tuple(
        (name, column, _converter(field_type))
        for name, (column, field_type) in _columns(model).items()
    )
