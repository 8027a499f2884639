"""Field values loaded only if the query selects the field.

A field with a resolver costs Strawberry an Info object, its arguments and an
extension chain on every call, about ten times what a plain attribute costs;
in a list of 20 relationships with 50 messages that was most of the request.
Types built in bulk therefore hold their related objects in plain
attributes: the value itself when the root resolver fetched it with the
list, else a `Deferred`. graphql-core awaits whatever awaitable a field
returns, and a `Deferred` starts its loader only when awaited, so a field
nobody selected costs one small object and no query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, Generic, ParamSpec, TypeVar, cast

P = ParamSpec("P")
T = TypeVar("T")


class Deferred(Generic[T]):
    __slots__ = ("_args", "_load")

    def __init__(self, load: Callable[..., Awaitable[T]], args: tuple[Any, ...]) -> None:
        self._load = load
        self._args = args

    def __await__(self) -> Generator[Any, None, T]:
        # A new awaitable each time: a field selected twice (under two
        # aliases) loads twice, through the same request's DataLoaders.
        return self._load(*self._args).__await__()


def deferred(load: Callable[P, Awaitable[T]], *args: P.args, **_: P.kwargs) -> T:
    """What `load(*args)` will give, as the value of a field's attribute.

    Typed as the value itself, since that is what the field resolves to; only
    graphql-core reads these attributes.
    """
    return cast(T, Deferred(load, args))
