"""What a query selects below the field being resolved, read from its syntax.

Root resolvers that fetch a list with one statement ask this which related
things to fetch along (terms, last message, unread count) and which to leave
to loaders. Fragments are followed; `@skip`/`@include` are not evaluated, so
a field under either counts as selected (fetching it is merely wasted).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)

from schema.context import Info

Fragments = dict[str, FragmentDefinitionNode]

# Below a field: each selected field's name, with the names selected below it.
Selected = dict[str, frozenset[str]]


def below(info: Info) -> Selected:
    raw = info._raw_info
    found: dict[str, set[str]] = {}
    for field in _fields((node.selection_set for node in raw.field_nodes), raw.fragments):
        names = found.setdefault(field.name.value, set())
        names.update(child.name.value for child in _fields([field.selection_set], raw.fragments))
    return {name: frozenset(names) for name, names in found.items()}


def _fields(sets: Iterable[SelectionSetNode | None], fragments: Fragments) -> Iterator[FieldNode]:
    for selection_set in sets:
        if selection_set is None:
            continue
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from _fields([selection.selection_set], fragments)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    yield from _fields([fragment.selection_set], fragments)
