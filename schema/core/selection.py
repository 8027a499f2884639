"""What a query selects below the field being resolved, read from its syntax.

Root resolvers that fetch a list with one statement ask this which related
things to fetch along (terms, last message, unread count) and which to leave
to loaders. It reads Strawberry's `info.selected_fields`; fragments, named
and inline, are followed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from strawberry.types.nodes import SelectedField, Selection

from schema.core.context import Info

# Below a field: each selected field's name, with the names selected below it.
Selected = dict[str, frozenset[str]]


def below(info: Info) -> Selected:
    found: dict[str, set[str]] = {}
    # `selected_fields` is the field being resolved; what it selects is below.
    selections = (selection for field in info.selected_fields for selection in field.selections)
    for field in _fields(selections):
        names = found.setdefault(field.name, set())
        names.update(child.name for child in _fields(field.selections))
    return {name: frozenset(names) for name, names in found.items()}


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields among `selections`, those inside fragments (named or inline) too."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:
            yield from _fields(selection.selections)
