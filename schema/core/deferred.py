"""Field values loaded only if the query selects the field.

A field with a resolver costs Strawberry an Info object, its arguments and an
extension chain on every call, about ten times what a plain attribute costs;
in a list of 20 relationships with 50 messages that was most of the request.
Types built in bulk therefore hold their related objects in plain
attributes: the value itself when the root resolver fetched it with the
list, else a `Deferred`. graphql-core awaits whatever awaitable a field
returns, and a `Deferred` starts its loader only when awaited, so a field
nobody selected costs one small object and no query.

Such an attribute is typed `Later[T]` for Python and declared with
`strawberry.field(graphql_type=T)` for the schema: the schema shows the
value, the code sees that it may still be on its way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, Generic, TypeAlias, TypeVar, TypeVarTuple, Union, Unpack

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


class Deferred(Generic[T]):
    """`load(*args)`, started only when awaited."""

    __slots__ = ("_args", "_load")

    def __init__(self, load: Callable[..., Awaitable[T]], args: tuple[Any, ...]) -> None:
        self._load = load
        self._args = args

    def __await__(self) -> Generator[Any, None, T]:
        # A new awaitable each time: a field selected twice (under two
        # aliases) loads twice, through the same request's DataLoaders.
        return self._load(*self._args).__await__()


# The value of a field's attribute: the value itself, or what will give it.
Later: TypeAlias = Union[T, Deferred[T]]  # noqa: UP007 - a generic alias needs Union on 3.11


def deferred(load: Callable[[Unpack[Ts]], Awaitable[T]], *args: *Ts) -> Deferred[T]:
    """What `load(*args)` will give, as the value of a `Later[T]` attribute."""
    return Deferred(load, args)
