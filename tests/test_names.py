"""One name from the field to the test: `acceptMentoringRequest` is served by
`resolve_accept_mentoring_request` in `schema/`, which calls
`resolvers.<module>.accept_mentoring_request`, tested in `tests/**/test_<module>.py`
(or the folder `tests/<module>/`). A reader who knows a field finds its rule by
its name alone; this fails when a new field or a rename breaks the chain.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from strawberry.types.base import get_object_definition

from schema import schema
from tests.support import ROOT

# Root fields whose schema function calls no single domain operation, and why.
DISPATCHERS = {
    "viewer": "the signed-in user, read from the request's context",
    "node": "dispatches per kind of id to resolvers.nodes",
    "nodes": "dispatches per kind of id to resolvers.nodes",
}

ROOTS = [schema.query, schema.mutation, schema.subscription]


def _root_fields() -> list[tuple[str, str, Callable[..., Any]]]:
    found = []
    for root in ROOTS:
        definition = get_object_definition(root, strict=True)
        for field in definition.fields:
            assert field.base_resolver is not None, f"{definition.name}.{field.python_name}"
            function = field.base_resolver.wrapped_func
            assert callable(function), f"{definition.name}.{field.python_name}"
            found.append((definition.name, field.python_name, function))
    return found


def _domain_calls(function: Callable[..., Any]) -> list[tuple[str, str]]:
    """(resolvers module, function name) for each `module.function(...)` call of `resolvers`."""
    module = inspect.getmodule(function)
    assert module is not None
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    calls = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        if isinstance(owner, ast.Name):
            imported = getattr(module, owner.id, None)
            if isinstance(imported, ModuleType) and imported.__name__.startswith("resolvers."):
                calls.append((imported.__name__.removeprefix("resolvers."), node.func.attr))
    return calls


FIELDS = _root_fields()


@pytest.mark.parametrize(("root", "name", "function"), FIELDS, ids=[f[1] for f in FIELDS])
def test_the_schema_function_is_named_for_its_field(
    root: str, name: str, function: Callable[..., Any]
) -> None:
    verb = "subscribe" if root == "Subscription" else "resolve"

    assert function.__name__ == f"{verb}_{name}"


OPERATIONS = [(name, function) for _root, name, function in FIELDS if name not in DISPATCHERS]


def test_every_dispatcher_is_a_root_field() -> None:
    assert set(DISPATCHERS) <= {name for _root, name, _function in FIELDS}


@pytest.mark.parametrize(("name", "function"), OPERATIONS, ids=[f[0] for f in OPERATIONS])
def test_the_field_calls_the_domain_operation_of_its_name_which_has_its_tests(
    name: str, function: Callable[..., Any]
) -> None:
    modules = [module for module, called in _domain_calls(function) if called == name]

    assert modules, f"{function.__name__} calls no resolvers.<module>.{name}"
    module = modules[0]
    tested = [*ROOT.glob(f"tests/**/test_{module}.py"), *ROOT.glob(f"tests/{module}/test_*.py")]
    assert tested, f"no tests/**/test_{module}.py nor tests/{module}/ for resolvers/{module}.py"
