"""Measuring an operation: its depth, its aliases and its cost, in one pass.

- Depth: levels of fields that select further fields. Introspection fields
  (`__schema`, `__type`, `__typename`) do not count: graphql-core bounds the
  nesting of introspection itself, and the cost below bounds its size.
- Aliases: aliased fields, counted once for every place a fragment is used.
- Cost: each field costs 1 for every time it can appear in the answer. A field
  that pages (`first`/`last`) multiplies what it selects by its page size,
  wherever the size comes from: a literal, a variable, the variable's default
  in the operation, the argument's default in the schema; omitted or null, by
  the page the field serves then (`default_page_sizes`, the resolvers'
  defaults). A field that answers one entry per id it is given (`nodes(ids)`)
  multiplies by the number of ids. Any other list of objects multiplies by
  `default_list_size`; the `edges` and `nodes` of a connection by 1, as
  their connection counted the page already. Abstract types count every fragment (an upper bound).
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
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_interface_type,
    is_object_type,
    value_from_ast_untyped,
)

PAGE_SIZE_ARGUMENTS = ("first", "last")
# A list argument whose length is the length of the field's answer.
ID_LIST_ARGUMENT = "ids"
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


def _with_defaults(
    operation: OperationDefinitionNode, variables: Mapping[str, Any] | None
) -> Mapping[str, Any]:
    """The variables as execution sees them: a variable not sent takes its default."""
    sent = variables or {}
    defaults = {
        definition.variable.name.value: value_from_ast_untyped(definition.default_value)
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None and definition.variable.name.value not in sent
    }
    return {**defaults, **sent} if defaults else sent


class _Measurer:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        default_list_size: int,
        max_page_size: int,
        default_page_sizes: Mapping[tuple[str, str], int],
    ) -> None:
        self.schema = schema
        self.max_page_size = max_page_size
        self.fragments = fragments
        self.variables = variables
        self.default_list_size = default_list_size
        self.default_page_sizes = default_page_sizes
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
        definition = self._field_definition(node, parent)
        field_type = self._field_type(node, definition)
        child_scope = get_named_type(field_type) if field_type is not None else None
        below = self.selections(node.selection_set, child_scope, introspective)
        size = self._size(node, parent, field_type, definition)
        return Measure(
            0 if introspective else 1 + below.depth,
            aliases + below.aliases,
            own.cost + size * below.cost,
            own.introspection_cost + size * below.introspection_cost,
        )

    def _field_definition(self, node: FieldNode, parent: GraphQLNamedType | None) -> Any:
        if is_object_type(parent) or is_interface_type(parent):
            return parent.fields.get(node.name.value)
        return None

    def _field_type(self, node: FieldNode, definition: Any) -> Any:
        if node.name.value in INTROSPECTION_ROOTS:
            return self.schema.get_type(INTROSPECTION_ROOTS[node.name.value])
        return definition.type if definition is not None else None

    def _size(
        self,
        node: FieldNode,
        parent: GraphQLNamedType | None,
        field_type: Any,
        definition: Any,
    ) -> int:
        arguments = getattr(definition, "args", {})
        if ID_LIST_ARGUMENT in arguments:
            ids = self._argument_value(node, ID_LIST_ARGUMENT, default=None)
            return len(ids) if isinstance(ids, list) else 1
        pages = [name for name in PAGE_SIZE_ARGUMENTS if name in arguments]
        if pages:
            sizes = [self._page_size(node, definition, name) for name in pages]
            given = [size for size in sizes if size is not None]
            if given:
                return max(given)
            key = (parent.name if parent is not None else "", node.name.value)
            return self.default_page_sizes.get(key, self.default_list_size)
        in_connection = parent is not None and parent.name.endswith("Connection")
        if in_connection and node.name.value in CONNECTION_PAGES:
            return 1
        return self.default_list_size if _is_list(field_type) else 1

    def _page_size(self, node: FieldNode, definition: Any, name: str) -> int | None:
        """The page size the argument `name` asks for; None when it leaves it to the field."""
        value = self._argument_value(node, name, default=definition.args[name].default_value)
        if not isinstance(value, int) or isinstance(value, bool):
            return None  # null (or omitted without a default): the field's own page
        if not 0 <= value <= self.max_page_size:
            # Past the largest page any field serves, the resolver refuses the
            # size itself (BAD_USER_INPUT, naming the argument), which says
            # more than "too complex" would.
            return self.default_list_size
        return value

    def _argument_value(self, node: FieldNode, name: str, *, default: Any) -> Any:
        """The argument's value as execution will see it, as graphql-core coerces it."""
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            if not isinstance(argument.value, VariableNode):
                return value_from_ast_untyped(argument.value)
            variable = argument.value.name.value
            # A variable that is not sent (and has no default) omits the argument.
            return self.variables.get(variable, default)
        return default


def measure(
    schema: GraphQLSchema,
    fragments: Mapping[str, FragmentDefinitionNode],
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
    *,
    default_list_size: int,
    max_page_size: int,
    default_page_sizes: Mapping[tuple[str, str], int] | None = None,
) -> Measure:
    measurer = _Measurer(
        schema,
        fragments,
        _with_defaults(operation, variables),
        default_list_size,
        max_page_size,
        default_page_sizes or {},
    )
    root = schema.get_root_type(operation.operation)
    return measurer.selections(operation.selection_set, root, inside=False)
