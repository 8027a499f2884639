"""Hand-written SQL for the queries the ORM cannot express fast enough.

Values always travel as bound parameters; `Params` hands out the placeholder
of the connection's dialect (`?` for SQLite, `$n` for asyncpg), so that one
query builder serves both engines. The few expressions that differ between
the engines live here too, each named for what it means.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import get_connection
from tortoise.models import Model

from orm.config import DEFAULT_CONNECTION
from orm.sqlite_engine import ImmediateSqliteClient

M = TypeVar("M", bound=Model)

SQLITE = "sqlite"
POSTGRES = "postgres"


def connection() -> BaseDBAsyncClient:
    """The database of the running task's Tortoise context (every model lives in one)."""
    return get_connection(DEFAULT_CONNECTION)


def dialect_of(db: BaseDBAsyncClient) -> str:
    name: str = db.capabilities.dialect
    if name not in (SQLITE, POSTGRES):
        raise NotImplementedError(f"discovery SQL is written for SQLite and PostgreSQL, not {name}")
    return name


class Params:
    """Collects bound values and returns the placeholder for each."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.values: list[Any] = []

    def add(self, value: Any) -> str:
        self.values.append(value)
        return "?" if self.dialect == SQLITE else f"${len(self.values)}"

    def add_moment(self, value: datetime) -> str:
        """A placeholder for `value`, compared with a stored moment: Tortoise keeps
        those on SQLite as ISO 8601 text with a space, in UTC, and text compares as text."""
        if self.dialect == POSTGRES:
            return self.add(value)
        return self.add(value.astimezone(UTC).isoformat(" "))

    def add_all(self, values: Sequence[Any]) -> str:
        """Placeholders for an IN list: `?, ?, ?`."""
        return ", ".join(self.add(value) for value in values)

    def json_array_has_any(self, column: str, values: Sequence[str]) -> str:
        """The JSON list of strings in `column` holds at least one of `values`.

        SQLite stores JSON fields as compact text (`["de","en"]`), so a quoted
        value is found with instr(), which is far cheaper per row than
        json_each(); PostgreSQL stores jsonb and has an operator for it.
        """
        if not values:
            return "FALSE" if self.dialect == POSTGRES else "0"
        if self.dialect == POSTGRES:
            return f"jsonb_exists_any({column}, {self.add(list(values))}::text[])"
        return (
            "(" + " OR ".join(f"instr({column}, {self.add(quoted(v))}) > 0" for v in values) + ")"
        )

    def json_array_count(self, column: str, values: Sequence[str]) -> str:
        """How many of `values` the JSON list of strings in `column` holds."""
        if not values:
            return "0"
        if self.dialect == POSTGRES:
            terms = [f"(CASE WHEN {column} ? {self.add(v)} THEN 1 ELSE 0 END)" for v in values]
        else:
            terms = [f"(instr({column}, {self.add(quoted(v))}) > 0)" for v in values]
        return "(" + " + ".join(terms) + ")"


def quoted(value: str) -> str:
    """A string as it appears inside a compact JSON list (our values have no quotes)."""
    return f'"{value}"'


async def fetch(db: BaseDBAsyncClient, sql: str, params: Params) -> list[dict[str, Any]]:
    return await db.execute_query_dict(sql, params.values)


async def fetch_bounded(db: BaseDBAsyncClient, sql: str, params: Params) -> list[dict[str, Any]]:
    """Like `fetch`, for a read that an index keeps short: on SQLite, outside a
    transaction, it runs on the event loop's thread (see `orm.inline_reads`)."""
    # A transaction's client is another class: its reads stay on its connection.
    if isinstance(db, ImmediateSqliteClient) and db.inline is not None:
        return db.inline.fetch(sql, params.values)
    return await db.execute_query_dict(sql, params.values)


async def fetch_models(model: type[M], sql: str, params: Params) -> list[M]:
    """Instances of `model` from a hand-written SELECT of its table's columns.

    Hydrated by the model's own executor, as Tortoise's `Model.raw` does,
    but with bound parameters.
    """
    db = connection()
    executor = db.executor_class(model=model, db=db)
    found: list[M] = await executor.execute_select(sql, params.values)
    return found


def integers(params: Params, rows: Sequence[Sequence[int]]) -> str:
    """A VALUES list of integer tuples: `(?, ?), (?, ?)`.

    Each value is cast, so that PostgreSQL knows the column types of a VALUES
    list that stands alone (SQLite accepts the cast as it is).
    """
    return ", ".join(
        "(" + ", ".join(f"CAST({params.add(value)} AS INTEGER)" for value in row) + ")"
        for row in rows
    )
