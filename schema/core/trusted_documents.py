"""Trusted documents: the manifest of the only documents a service runs, read and written.

A manifest maps an id (the SHA-256 of the text) to a document's text, as
GraphQL Code Generator's client preset writes it (`persistedDocuments`,
`{"<sha256>": "<text>", ...}`). Apollo's own manifest
(`@apollo/generate-persisted-query-manifest`: `{"format":
"apollo-persisted-query-manifest", "operations": [{"id", "body"}, ...]}`)
is read too.

`manifest_of` writes one for the operations of a `.graphql` file: one
document per operation, followed by the fragments it uses (in the file's
order), printed as graphql-js prints them. Apollo Client sends what its
cache made of a document, with `__typename` added to every selection set
but the operation's own: `add_typename=True` writes those texts, so that
Apollo's PersistedQueryLink finds its hashes in the manifest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import orjson
from graphql import (
    DefinitionNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    NameNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    print_ast,
    visit,
)
from graphql.language import Visitor

APOLLO_MANIFEST_FORMAT = "apollo-persisted-query-manifest"


def sha256_of(text: str) -> str:
    """The id Apollo's link and the client preset give a document: SHA-256, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TrustedDocuments:
    """The documents a service runs, by id and by their exact text."""

    def __init__(self, by_id: Mapping[str, str]) -> None:
        self.by_id = dict(by_id)
        self.texts = frozenset(self.by_id.values())

    @classmethod
    def load(cls, path: Path) -> TrustedDocuments:
        """The manifest at `path`; ValueError says what is wrong with it."""
        try:
            data = orjson.loads(path.read_bytes())
        except OSError as error:
            raise ValueError(f"cannot read {path}: {error.strerror}") from None
        except orjson.JSONDecodeError as error:
            raise ValueError(f"{path} is not JSON: {error}") from None
        return cls(_documents(data, path))


def _documents(data: Any, path: Path) -> dict[str, str]:
    if isinstance(data, dict) and data.get("format") == APOLLO_MANIFEST_FORMAT:
        operations = data.get("operations")
        if not isinstance(operations, list) or not all(
            isinstance(each, dict) for each in operations
        ):
            raise ValueError(f"{path}: `operations` must be a list of objects")
        data = {each.get("id"): each.get("body") for each in operations}
    if not isinstance(data, dict) or not data:
        raise ValueError(f"{path} must hold an object of ids and document texts")
    for key, text in data.items():
        if not isinstance(key, str) or not key or not isinstance(text, str) or not text:
            raise ValueError(f"{path}: every id and every document must be a non-empty string")
    return data


class _Spreads(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
        self.names.append(node.name.value)


def _fragments_used(
    definition: DefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> set[str]:
    used: set[str] = set()
    pending = [definition]
    while pending:
        spreads = _Spreads()
        visit(pending.pop(), spreads)
        for name in spreads.names:
            if name not in used and name in fragments:
                used.add(name)
                pending.append(fragments[name])
    return used


_TYPENAME = FieldNode(name=NameNode(value="__typename"), directives=(), arguments=())


class _AddTypename(Visitor):
    """Apollo Client's `addTypenameToDocument`, rule for rule."""

    def enter_selection_set(
        self, node: SelectionSetNode, _key: Any, parent: Any, *_: Any
    ) -> SelectionSetNode | None:
        if isinstance(parent, OperationDefinitionNode):
            return None
        if any(
            isinstance(selection, FieldNode) and selection.name.value.startswith("__")
            for selection in node.selections
        ):
            return None  # has __typename, or is introspection
        if isinstance(parent, FieldNode) and any(
            directive.name.value == "export" for directive in parent.directives or ()
        ):
            return None
        return SelectionSetNode(selections=(*node.selections, _TYPENAME))


def _printed(definitions: Iterable[DefinitionNode], add_typename: bool) -> str:
    document: Node = DocumentNode(definitions=tuple(definitions))
    if add_typename:
        document = visit(document, _AddTypename())
    return print_ast(document)


def manifest_of(source: str, *, add_typename: bool = False) -> dict[str, str]:
    """Id -> text of each operation in `source`, with the fragments it uses."""
    definitions = parse(source, no_location=True).definitions
    fragments = {
        definition.name.value: definition
        for definition in definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    manifest = {}
    for definition in definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        used = _fragments_used(definition, fragments)
        text = _printed(
            [definition, *(fragment for name, fragment in fragments.items() if name in used)],
            add_typename,
        )
        manifest[sha256_of(text)] = text
    return manifest


def write_manifest(manifest: Mapping[str, str], output: Path) -> None:
    output.write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n")
