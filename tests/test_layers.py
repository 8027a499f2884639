"""The layers import one way: schema -> resolvers -> orm, and schema reads orm's types only.

`schema/` may name orm's classes (models, records, enums) in its types, but
reaches data only through `resolvers/`, where authorization and every rule
live; `resolvers/` never imports `schema/`; `orm/` imports neither, nor
Strawberry. Read from the source's import statements, so a new leak fails
here before review.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT


def _imports(path: Path) -> Iterator[tuple[str, str | None]]:
    """(module, name) for `from module import name`, (module, None) for `import module`."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _top(module: str) -> str:
    return module.split(".")[0]


# The domain's vocabulary: enums with their labels and descriptions.
VOCABULARY = "orm.vocabulary"


def _is_type(value: object) -> bool:
    return inspect.isclass(value) or isinstance(value, types.UnionType)


@pytest.mark.parametrize("path", _modules("schema"), ids=lambda path: str(path.relative_to(ROOT)))
def test_schema_names_orms_classes_but_reads_data_through_resolvers(path: Path) -> None:
    leaks = []
    for module, name in _imports(path):
        if _top(module) != "orm" or module == VOCABULARY:
            continue
        if name is None or name == "*":
            leaks.append(module)
            continue
        imported = getattr(importlib.import_module(module), name, None)
        if not _is_type(imported):
            leaks.append(f"{module}.{name}")

    assert leaks == [], "schema/ reaches orm/ through resolvers/ (types and enums excepted)"


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("resolvers", {"schema", "app"}), ("orm", {"schema", "resolvers", "app", "strawberry"})],
)
def test_lower_layers_never_import_higher_ones(package: str, forbidden: set[str]) -> None:
    leaks = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in _modules(package)
        for module, _name in _imports(path)
        if _top(module) in forbidden
    ]

    assert leaks == []
