"""The cost estimate of one operation: how many fields its answer can hold.

Each field costs 1 for every time it can appear in the answer. A field that
pages (`first`/`last`, from a literal or a variable) multiplies what it selects
by its page size; any other list of objects by `default_list_size`; the
`edges` and `nodes` of a connection by 1, as their connection counted the page
already. Abstract types count every fragment (an upper bound), and fragment
spreads are followed once per path (cycles are a validation error anyway).

Introspection (what lies under `__schema` and `__type`) is measured apart:
GraphiQL's standard introspection query is large by nature, and must not
raise the budget that application operations get.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
    is_interface_type,
    is_object_type,
)

PAGE_SIZE_ARGUMENTS = ("first", "last")
CONNECTION_PAGES = ("edges", "nodes")
INTROSPECTION_ROOTS = {"__schema": "__Schema", "__type": "__Type"}


@dataclass
class Cost:
    application: int = 0
    introspection: int = 0


def _page_size(node: FieldNode, variables: Mapping[str, Any], default: int) -> int | None:
    for argument in node.arguments or ():
        if argument.name.value not in PAGE_SIZE_ARGUMENTS:
            continue
        value: Any = None
        if isinstance(argument.value, IntValueNode):
            value = int(argument.value.value)
        elif isinstance(argument.value, VariableNode):
            value = variables.get(argument.value.name.value)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        return default  # null or omitted: the resolver's default page
    return None


def _is_list(type_: Any) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


class _Estimate:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        default_list_size: int,
        stop_above: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.default_list_size = default_list_size
        self.stop_above = stop_above

    def selections(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLNamedType | None,
        multiplier: int,
        seen: frozenset[str] = frozenset(),
    ) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += multiplier + self._below(selection, parent, multiplier, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                scope = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(selection.selection_set, scope, multiplier, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    scope = self.schema.get_type(fragment.type_condition.name.value)
                    total += self.selections(
                        fragment.selection_set, scope, multiplier, seen | {name}
                    )
            if total > self.stop_above:
                break  # refused anyway: counting on is wasted work
        return total

    def _field_type(self, node: FieldNode, parent: GraphQLNamedType | None) -> Any:
        if node.name.value in INTROSPECTION_ROOTS:
            return self.schema.get_type(INTROSPECTION_ROOTS[node.name.value])
        if is_object_type(parent) or is_interface_type(parent):
            definition = parent.fields.get(node.name.value)
            return definition.type if definition is not None else None
        return None

    def _below(
        self,
        node: FieldNode,
        parent: GraphQLNamedType | None,
        multiplier: int,
        seen: frozenset[str],
    ) -> int:
        if node.selection_set is None:
            return 0
        field_type = self._field_type(node, parent)
        size = _page_size(node, self.variables, self.default_list_size)
        if size is None:
            in_connection = parent is not None and parent.name.endswith("Connection")
            is_page = in_connection and node.name.value in CONNECTION_PAGES
            size = self.default_list_size if _is_list(field_type) and not is_page else 1
        child = get_named_type(field_type) if field_type is not None else None
        return self.selections(node.selection_set, child, multiplier * size, seen)


def estimate(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    *,
    default_list_size: int,
    stop_above: int,
) -> Cost:
    """The cost of the operation that `operation_name` selects (zero if none matches)."""
    operation = get_operation_ast(document, operation_name)
    cost = Cost()
    if operation is None:
        return cost
    root: GraphQLObjectType | None = schema.get_root_type(operation.operation)
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    measure = _Estimate(schema, fragments, variables or {}, default_list_size, stop_above)
    for selection in operation.selection_set.selections:
        single = SelectionSetNode(selections=(selection,))
        part = measure.selections(single, root, 1)
        if isinstance(selection, FieldNode) and selection.name.value in INTROSPECTION_ROOTS:
            cost.introspection += part
        else:
            cost.application += part
    return cost
