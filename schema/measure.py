"""Measuring an operation: its depth, its aliases and its cost, in one pass.

- Depth: levels of fields that select further fields. Introspection fields
  (`__schema`, `__type`, `__typename`) do not count: graphql-core bounds the
  nesting of introspection itself, and the cost below bounds its size.
- Aliases: aliased fields, counted once for every place a fragment is used.
- Cost: each field costs 1 for every time it can appear in the answer. A field
  that pages (`first`/`last`, from a literal or a variable) multiplies what it
  selects by its page size; any other list of objects by `default_list_size`;
  the `edges` and `nodes` of a connection by 1, as their connection counted
  the page already. Abstract types count every fragment (an upper bound).
  Introspection is costed apart: GraphiQL's introspection query is large by
  nature, and must not widen the budget of application operations.

Each named fragment is measured once and its measure reused wherever it is
spread (cost is linear in the multiplier), so a document whose fragments
spread one another many times over costs linear time to measure, not
exponential time. (Strawberry's depth and alias rules walk every path: about
250 tokens of such fragments kept them busy for seconds.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_interface_type,
    is_object_type,
)

PAGE_SIZE_ARGUMENTS = ("first", "last")
CONNECTION_PAGES = ("edges", "nodes")
INTROSPECTION_ROOTS = {"__schema": "__Schema", "__type": "__Type"}


@dataclass(frozen=True)
class Measure:
    depth: int = 0
    aliases: int = 0
    cost: int = 0
    introspection_cost: int = 0

    def beside(self, other: Measure) -> Measure:
        """Two selections of one selection set."""
        return Measure(
            max(self.depth, other.depth),
            self.aliases + other.aliases,
            self.cost + other.cost,
            self.introspection_cost + other.introspection_cost,
        )


def _is_list(type_: Any) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


class _Measurer:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        default_list_size: int,
        max_page_size: int,
    ) -> None:
        self.schema = schema
        self.max_page_size = max_page_size
        self.fragments = fragments
        self.variables = variables
        self.default_list_size = default_list_size
        self.measured: dict[tuple[str, bool], Measure] = {}
        self.measuring: set[tuple[str, bool]] = set()

    def selections(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None, inside: bool
    ) -> Measure:
        total = Measure()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total = total.beside(self.field(selection, parent, inside))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                scope = self.schema.get_type(condition.name.value) if condition else parent
                total = total.beside(self.selections(selection.selection_set, scope, inside))
            elif isinstance(selection, FragmentSpreadNode):
                total = total.beside(self.fragment(selection.name.value, inside))
        return total

    def fragment(self, name: str, inside: bool) -> Measure:
        key = (name, inside)
        if key in self.measured:
            return self.measured[key]
        fragment = self.fragments.get(name)
        if fragment is None or key in self.measuring:
            return Measure()  # unknown or cyclic: validation reports it
        self.measuring.add(key)
        scope = self.schema.get_type(fragment.type_condition.name.value)
        measure = self.selections(fragment.selection_set, scope, inside)
        self.measuring.discard(key)
        self.measured[key] = measure
        return measure

    def field(self, node: FieldNode, parent: GraphQLNamedType | None, inside: bool) -> Measure:
        introspective = inside or node.name.value.startswith("__")
        aliases = 1 if node.alias else 0
        own = Measure(0, aliases, 0, 1) if introspective else Measure(0, aliases, 1, 0)
        if node.selection_set is None:
            return own
        field_type = self._field_type(node, parent)
        child_scope = get_named_type(field_type) if field_type is not None else None
        below = self.selections(node.selection_set, child_scope, introspective)
        size = self._size(node, parent, field_type)
        return Measure(
            0 if introspective else 1 + below.depth,
            aliases + below.aliases,
            own.cost + size * below.cost,
            own.introspection_cost + size * below.introspection_cost,
        )

    def _field_type(self, node: FieldNode, parent: GraphQLNamedType | None) -> Any:
        if node.name.value in INTROSPECTION_ROOTS:
            return self.schema.get_type(INTROSPECTION_ROOTS[node.name.value])
        if is_object_type(parent) or is_interface_type(parent):
            definition = parent.fields.get(node.name.value)
            return definition.type if definition is not None else None
        return None

    def _size(self, node: FieldNode, parent: GraphQLNamedType | None, field_type: Any) -> int:
        for argument in node.arguments or ():
            if argument.name.value not in PAGE_SIZE_ARGUMENTS:
                continue
            value: Any = None
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                value = self.variables.get(argument.value.name.value)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                # Past the largest page any field serves, the resolver refuses
                # the size itself (BAD_USER_INPUT, naming the argument), which
                # says more than "too complex" would.
                return value if value <= self.max_page_size else self.default_list_size
            return self.default_list_size  # null or malformed: the resolver decides
        in_connection = parent is not None and parent.name.endswith("Connection")
        if in_connection and node.name.value in CONNECTION_PAGES:
            return 1
        return self.default_list_size if _is_list(field_type) else 1


def measure(
    schema: GraphQLSchema,
    fragments: Mapping[str, FragmentDefinitionNode],
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
    *,
    default_list_size: int,
    max_page_size: int,
) -> Measure:
    measurer = _Measurer(schema, fragments, variables or {}, default_list_size, max_page_size)
    root = schema.get_root_type(operation.operation)
    return measurer.selections(operation.selection_set, root, inside=False)
