"""Every use of Tortoise ORM's private names, checked against the installed version at import.

Tortoise has no public hook for these, and each is kept for a reason:

- `tortoise.context._current_context`: binding the lifespan's context to a
  request (`orm.binding`). `TortoiseContext.__enter__` keeps one reset token
  on the context, which concurrent requests sharing it would overwrite, and
  the public global fallback would let two apps in one process (tests,
  tools) see each other's databases.
- `BasePostgresClient._pool`: the asyncpg pool, whose connections in use
  the metrics report (`connections_in_use`); Tortoise does not expose it.
- `Model._no_comments`: Tortoise reads each model's field descriptions from
  `#:` comments in its source, parsing the whole models module once per
  model; 390 ms of the service's 2.4 s import (21 models), paid by every
  process start. The models here describe their fields in docstrings and
  `description=`, so `Model` below switches that reading off.
- `Model._meta.fields_map`: each field's `to_db_value`, the conversion a model
  applies to a value before handing it to the driver. Seeding writes rows in
  bulk without model instances (`orm.seed`, `orm.bulk_load`) and converts each
  distinct value once through it, so that the rows hold what the models store.
- `SqliteClient._in_transaction`, `._lock` and `SqliteTransactionWrapper._connection`:
  beginning every SQLite transaction with BEGIN IMMEDIATE (`orm.sqlite_engine`);
  Tortoise's plain BEGIN fails a read-then-write transaction at once with
  SQLITE_BUSY_SNAPSHOT when another process committed meanwhile.

If Tortoise changes any of them, importing this module raises ImportError
naming the installed version and the name, before the service starts.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import aiosqlite
import tortoise
from tortoise import context as tortoise_context
from tortoise.backends.base.client import BaseDBAsyncClient, TransactionContext
from tortoise.backends.base_postgres.client import BasePostgresClient
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.context import TortoiseContext
from tortoise.models import Model as TortoiseModel
from tortoise.models import ModelMeta

VERSION: str = tortoise.__version__


@dataclass(frozen=True)
class Expected:
    """A private name this module relies on, and the shape it must have."""

    owner: Any
    name: str
    shape: Callable[[Any], bool]
    what: str  # the shape in words, for the error


def verify(expected: Iterable[Expected], version: str = VERSION) -> None:
    """Raise ImportError for the first private name that is missing or has another shape."""
    for item in expected:
        where = getattr(item.owner, "__name__", type(item.owner).__name__)
        if not hasattr(item.owner, item.name):
            raise ImportError(f"tortoise-orm {version}: {where}.{item.name} no longer exists")
        if not item.shape(getattr(item.owner, item.name)):
            raise ImportError(f"tortoise-orm {version}: {where}.{item.name} is not {item.what}")


def _parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def _takes(*names: str) -> Callable[[Any], bool]:
    return lambda function: callable(function) and _parameters(function) == list(names)


# Instance attributes are set by the constructors: checked on instances that
# are built, never connected.
_CLIENT = SqliteClient(":memory:", connection_name="compat_check")
_WRAPPER = SqliteTransactionWrapper(_CLIENT)

EXPECTED: tuple[Expected, ...] = (
    Expected(
        tortoise_context,
        "_current_context",
        lambda var: isinstance(var, contextvars.ContextVar),
        "a ContextVar",
    ),
    Expected(SqliteClient, "_in_transaction", _takes("self"), "a method of no arguments"),
    Expected(
        SqliteTransactionContext,
        "__init__",
        _takes("self", "connection", "trxlock"),
        "(connection, trxlock)",
    ),
    Expected(_CLIENT, "_lock", lambda lock: isinstance(lock, asyncio.Lock), "an asyncio.Lock"),
    Expected(_WRAPPER, "_connection", lambda connection: connection is None, "the client's"),
    Expected(SqliteTransactionWrapper, "begin", inspect.iscoroutinefunction, "a coroutine"),
    Expected(BasePostgresClient, "_pool", lambda pool: pool is None, "None until connected"),
    Expected(
        TortoiseModel,
        "_meta",
        lambda meta: isinstance(getattr(meta, "fields_map", None), dict),
        "model metadata with a fields_map",
    ),
    Expected(
        ModelMeta,
        "__new__",
        lambda new: '"_no_comments"' in inspect.getsource(new),
        "a reader of a class's _no_comments",
    ),
)

verify(EXPECTED)


# Which Tortoise context the running task's database calls use.
current_context: contextvars.ContextVar[TortoiseContext | None] = tortoise_context._current_context


def connections_in_use(client: BaseDBAsyncClient) -> int:
    """Connections the client has lent out now: its pool's busy ones, or SQLite's one."""
    if isinstance(client, SqliteClient):
        return 1 if client._lock.locked() else 0
    if isinstance(client, BasePostgresClient) and client._pool is not None:
        return int(client._pool.get_size() - client._pool.get_idle_size())
    return 0


def stored_value(model: type[TortoiseModel], field: str, value: Any) -> Any:
    """`value` as `model`'s `field` hands it to the driver (JSON as text, aware datetimes)."""
    return model._meta.fields_map[field].to_db_value(value, model)


def field_default(model: type[TortoiseModel], field: str) -> Any:
    """The default `model` gives `field` when a new instance leaves it out."""
    return model._meta.fields_map[field].default


def sqlite_connection(wrapper: SqliteTransactionWrapper) -> aiosqlite.Connection:
    """The aiosqlite connection a transaction runs on."""
    return wrapper._connection


class TransactionBeginHook(SqliteClient):
    """A SQLite client whose transactions are run by `transaction_wrapper(self)`."""

    def transaction_wrapper(self) -> SqliteTransactionWrapper:
        return SqliteTransactionWrapper(self)

    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(self.transaction_wrapper(), self._lock)


class _WithoutSourceComments(ModelMeta):
    """Tortoise's model class, told not to parse the models' source for `#:` comments."""

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> ModelMeta:
        attrs.setdefault("_no_comments", True)
        return super().__new__(mcs, name, bases, attrs)


class Model(TortoiseModel, metaclass=_WithoutSourceComments):
    """The base of the service's models: a Tortoise model that starts without reading its source."""

    class Meta:
        abstract = True
