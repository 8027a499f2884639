"""The one place that reaches into Strawberry below its public API.

- `graphql_schema`: the graphql-core schema Strawberry builds. The pipeline
  (`schema.core.pipeline`) checks and executes documents against it directly:
  Strawberry's own pipeline runs every extension hook around each request,
  several times the cost of executing `{ __typename }` (README, "Measured
  figures"). Strawberry keeps it as `Schema._schema`, with no public getter.

Importing this module checks that what it relies on is still there, so an
upgrade of Strawberry that moves it fails at import, not in a request
(`tests/test_compat_strawberry.py`).
"""

from __future__ import annotations

from graphql import GraphQLSchema
from strawberry import Schema


def _sets_attribute(cls: type, name: str) -> bool:
    """Whether `cls.__init__` assigns `self.<name>` (read from its byte code)."""
    return name in cls.__dict__["__init__"].__code__.co_names


def check(schema_class: type = Schema) -> None:
    if not _sets_attribute(schema_class, "_schema"):
        raise ImportError("strawberry.Schema no longer keeps its graphql-core schema in `_schema`")


def graphql_schema(schema: Schema) -> GraphQLSchema:
    built: GraphQLSchema = schema._schema
    return built


check()
