"""The executor's short path for plain leaves answers exactly as graphql-core's own.

Plain values take the short path; whatever it does not handle (null in a
non-null field, a value the type refuses, a missing attribute, an awaitable)
falls back to graphql-core, so data, errors, messages and paths must be the
same as with Strawberry's stock executor, which these tests compare against.
"""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Any

import strawberry
from graphql import GraphQLObjectType

from schema.core.compat_strawberry import graphql_schema
from schema.core.deferred import deferred
from schema.core.executor import PerEventMemoExecutor, plain_leaf


@strawberry.enum
class Color(Enum):
    RED = "red"
    BLUE = "blue"


async def _later(value: Any) -> Any:
    await asyncio.sleep(0)
    return value


@strawberry.type
class Item:
    name: str
    label: str | None
    color: Color
    count: int


class Loose:
    """Not an Item: attributes as a careless resolver might leave them."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


ITEMS: list[Any] = [
    Item(name="plain", label=None, color=Color.RED, count=1),
    Loose(
        name="deferred", label=deferred(_later, "late"), color=Color.BLUE, count=deferred(_later, 2)
    ),
    Loose(name=None, label="null in a non-null field", color=Color.RED, count=3),
    Loose(name="refused", label=None, color="PURPLE", count="not a number"),
    Loose(name="missing", color=Color.RED, count=4),
]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return ITEMS

    @strawberry.field
    def labelled(self, prefix: str) -> str:
        return prefix + "!"


QUERY = '{ items { name label color count } first: items { n: name } labelled(prefix: "x") }'


def _answer(executor: Any) -> dict[str, Any]:
    schema = strawberry.Schema(query=Query, execution_context_class=executor)
    result = asyncio.run(schema.execute(QUERY))
    return {
        "data": result.data,
        "errors": sorted(
            ((error.message, tuple(error.path or ())) for error in result.errors or ()),
            key=repr,
        ),
    }


def test_plain_leaves_answer_as_graphql_core_does() -> None:
    ours = _answer(PerEventMemoExecutor)

    assert ours == _answer(None)
    assert ours["data"]["items"][0] == {"name": "plain", "label": None, "color": "RED", "count": 1}
    assert ours["data"]["items"][1] == {
        "name": "deferred",
        "label": "late",
        "color": "BLUE",
        "count": 2,
    }
    assert sorted(path for _, path in ours["errors"]) == [
        ("first", 2, "n"),
        ("items", 2, "name"),
        ("items", 3, "color"),  # the item is null from there: its count is not reached
        ("items", 4, "label"),
    ]


def test_only_attribute_reads_of_scalars_and_enums_take_the_short_path() -> None:
    schema = strawberry.Schema(query=Query)
    item = graphql_schema(schema).type_map["Item"]
    query = graphql_schema(schema).query_type
    assert isinstance(item, GraphQLObjectType)
    assert query is not None

    assert plain_leaf(item.fields["count"]) is not None
    assert plain_leaf(item.fields["color"]) is not None
    assert plain_leaf(query.fields["labelled"]) is None  # a resolver with arguments
    assert plain_leaf(query.fields["items"]) is None  # a resolver returning objects
