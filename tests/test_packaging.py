"""The lock files: exact versions with hashes, resolved from pyproject.toml's ranges.

`make run` and `make test` install from them, so what runs is what was
tested; these tests catch a lock file that drifted from pyproject.toml or
from the environment the suite runs in.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import (
    PackageNotFoundError,
    packages_distributions,
    requires,
    version,
)

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support import ROOT

RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"


def _locked(path: str) -> dict[str, Requirement]:
    """Package name -> its pinned requirement (with marker), hashes checked present."""
    text = (ROOT / path).read_text().replace("\\\n", " ")
    pins: dict[str, Requirement] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        spec, *hashes = line.split(" --hash=")
        requirement = Requirement(spec.strip())
        assert hashes, f"{path}: {requirement.name} has no hash"
        pins[canonicalize_name(requirement.name)] = requirement
    return pins


def _declared(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = project["dependencies"]
    if extra is not None:
        names = names + project["optional-dependencies"][extra]
    return [Requirement(name) for name in names]


def _pinned_version(requirement: Requirement) -> str:
    (spec,) = requirement.specifier
    assert spec.operator == "==", f"{requirement.name} is not pinned exactly"
    return spec.version


@pytest.mark.parametrize(("lock", "extra"), [(RUNTIME_LOCK.name, None), (DEV_LOCK.name, "dev")])
def test_every_declared_dependency_is_locked_within_its_range(lock: str, extra: str | None) -> None:
    pins = _locked(lock)

    for declared in _declared(extra):
        if declared.marker is not None and not declared.marker.evaluate():
            continue
        pinned = pins.get(canonicalize_name(declared.name))
        assert pinned is not None, f"{declared.name} is missing from {lock}: run `make lock`"
        assert declared.specifier.contains(_pinned_version(pinned), prereleases=True), (
            f"{lock} pins {declared.name} {_pinned_version(pinned)}, outside {declared.specifier}"
        )


def test_the_development_lock_runs_the_same_versions_as_the_service() -> None:
    service = _locked(RUNTIME_LOCK.name)
    development = _locked(DEV_LOCK.name)

    differ = {
        name: (_pinned_version(pin), _pinned_version(development[name]))
        for name, pin in service.items()
        if name not in development or _pinned_version(development[name]) != _pinned_version(pin)
    }
    assert differ == {}


def test_the_suite_runs_on_the_locked_versions() -> None:
    unlike: dict[str, tuple[str, str | None]] = {}
    for name, pin in _locked(DEV_LOCK.name).items():
        if pin.marker is not None and not pin.marker.evaluate():
            continue
        try:
            installed: str | None = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != _pinned_version(pin):
            unlike[name] = (_pinned_version(pin), installed)

    assert unlike == {}, "install from requirements-dev.lock (`make test` does)"


def _third_party_imports() -> set[str]:
    """The top-level modules the service's own code imports, outside the project."""
    own = {"app", "schema", "resolvers", "orm", "tests", "bench"}
    found: set[str] = set()
    for folder in ("schema", "resolvers", "orm"):
        for path in (ROOT / folder).rglob("*.py"):
            found |= _imported(path.read_text())
    found |= _imported((ROOT / "app.py").read_text())
    return {name for name in found if name not in own and name not in sys.stdlib_module_names}


def _imported(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_every_library_the_service_imports_is_a_declared_dependency() -> None:
    """A library installed by chance (by a tool, or as a dev dependency) is not one a user gets."""
    declared = {canonicalize_name(requirement.name) for requirement in _declared()}
    for requirement in _declared():  # what an extra (tortoise-orm[asyncpg]) asks for too
        for text in requires(requirement.name) or []:
            needed = Requirement(text)
            if needed.marker and any(
                needed.marker.evaluate({"extra": extra}) for extra in requirement.extras
            ):
                declared.add(canonicalize_name(needed.name))
    providers = packages_distributions()
    undeclared = {
        module
        for module in _third_party_imports()
        if not {canonicalize_name(name) for name in providers.get(module, [])} & declared
    }

    assert undeclared == set()
