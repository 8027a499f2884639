"""`schema.core.compat_strawberry` holds on the installed Strawberry, or says so at import."""

from __future__ import annotations

import pytest
from graphql import GraphQLSchema

from schema import schema
from schema.core.compat_strawberry import check, graphql_schema


def test_the_installed_strawberry_has_what_the_compat_module_reaches_for() -> None:
    check()

    assert isinstance(graphql_schema(schema), GraphQLSchema)
    assert graphql_schema(schema).query_type is not None


def test_a_strawberry_that_moved_its_graphql_schema_fails_at_import() -> None:
    class Moved:
        def __init__(self) -> None:
            self.graphql_schema = None

    with pytest.raises(ImportError, match="_schema"):
        check(Moved)
