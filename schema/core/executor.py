"""graphql-core's executor, with two changes measured to matter here.

Plain leaves. Every field graphql-core executes gets a resolve-info record,
its resolver called through Strawberry's wrapper, and its value completed
through the general dispatch; for a field that only reads an attribute and
returns a scalar or an enum, which is most of any answer, that is most of
the cost. Such fields (Strawberry's "basic" fields: no resolver, no
arguments, no extensions) are read and coerced here directly. Whatever the
short path does not handle plainly (an awaitable, null, an error, a value
the type refuses) goes through graphql-core's own path, so errors and their
paths are exactly what they were.

Root-field spans. With tracing on, each root field runs in a span of its
own (`schema.core.tracing`), so a trace shows which resolver reached the
database and for how long; off, one check of the tracer per field that is
not a plain leaf.

Per-event memo. graphql-core 3.3 memoizes the subfields it collects on the
executor, keyed by the identity of the field lists it builds while
executing. A subscription's events run on shallow copies of one executor,
which share that memo, and every event builds new lists: each event added
its entries for as long as the subscription lived (about 17 per message
here). A chat socket open for hours grew the heap without bound, and the
collector's full passes over it paused the event loop for 70 to 150 ms
within a minute of live messaging. Each event now starts its own memo,
which lives as long as the event.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    is_leaf_type,
)
from graphql.execution import Executor
from graphql.pyutils import Path
from strawberry.resolvers import is_default_resolver
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from schema.core import spans, tracing
from schema.core.compat_graphql import forget_collected_subfields


class PlainLeaf:
    """How to answer one field without graphql-core's general path."""

    __slots__ = ("attribute", "leaf", "non_null")

    def __init__(self, attribute: str, leaf: GraphQLLeafType, non_null: bool) -> None:
        self.attribute = attribute
        self.leaf = leaf
        self.non_null = non_null


# By the identity of the schema's field definitions (built once per process);
# the definition is kept beside its plan so that the identity stays its own.
_PLANS: dict[int, tuple[GraphQLField, PlainLeaf | None]] = {}


def plain_leaf(field_def: GraphQLField) -> PlainLeaf | None:
    planned = _PLANS.get(id(field_def))
    if planned is None:
        planned = _PLANS[id(field_def)] = (field_def, _plan(field_def))
    return planned[1]


def _plan(field_def: GraphQLField) -> PlainLeaf | None:
    field = field_def.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    basic = field_def.resolve is not None and is_default_resolver(field_def.resolve)
    if not isinstance(field, StrawberryField) or not basic or field_def.args:
        return None
    if field.default_resolver is not getattr:
        return None
    return_type, non_null = field_def.type, False
    if isinstance(return_type, GraphQLNonNull):
        return_type, non_null = return_type.of_type, True
    if not is_leaf_type(return_type):
        return None
    return PlainLeaf(field.python_name, return_type, non_null)


class PerEventMemoExecutor(StrawberryGraphQLCoreExecutionContext):
    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        field_def = self.schema.get_field(parent_type, node.name.value)
        plan = plain_leaf(field_def) if field_def is not None else None
        if plan is not None and not node.arguments and self.middleware_manager is None:
            value = getattr(source, plan.attribute, Undefined)
            if value is None and not plan.non_null:
                return None
            if value is not None and value is not Undefined and not self.is_awaitable(value):
                try:
                    coerced = plan.leaf.coerce_output_value(value)
                except Exception:  # graphql-core's path below reports it, located
                    coerced = None
                if coerced is not None and coerced is not Undefined:
                    return coerced
        if path.prev is None and spans.tracer is not None:
            # A root field: its resolver is what reaches the database.
            return tracing.root_field(
                f"{parent_type.name}.{node.name.value}",
                lambda: StrawberryGraphQLCoreExecutionContext.execute_field(
                    self, parent_type, source, field_details_list, path, position_context
                ),
                self.is_awaitable,
            )
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def build_per_event_executor(self, payload: Any) -> Executor[Any]:
        executor = super().build_per_event_executor(payload)
        forget_collected_subfields(executor)
        return executor
