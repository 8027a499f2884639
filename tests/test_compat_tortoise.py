"""`orm.compat_tortoise` holds on the installed Tortoise, or says so at import.

One section per library (`test_<library>_*`): the locked version passes its
checks, and the checker refuses an object that lacks a name or has it in
another shape, so that a library upgrade fails at import, not in production.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import tortoise

import orm
from orm import compat_tortoise
from orm.compat_tortoise import EXPECTED, Expected, verify

# --- Tortoise ORM ---


def test_tortoise_the_locked_version_passes_every_check() -> None:
    importlib.reload(compat_tortoise)  # runs the import-time checks again
    verify(EXPECTED)
    assert tortoise.__version__ == compat_tortoise.VERSION


def test_tortoise_a_missing_private_name_fails_naming_the_version() -> None:
    changed = SimpleNamespace(__name__="SqliteClient")
    with pytest.raises(ImportError, match=rf"tortoise-orm {tortoise.__version__}: .*_lock"):
        verify([Expected(changed, "_lock", lambda value: True, "anything")])


def test_tortoise_a_private_name_of_another_shape_fails() -> None:
    changed = SimpleNamespace(__name__="SqliteTransactionContext", _in_transaction=lambda a, b: 0)
    wanted = Expected(changed, "_in_transaction", compat_tortoise._takes("self"), "no arguments")
    with pytest.raises(ImportError, match="_in_transaction is not no arguments"):
        verify([wanted], version="9.9.9")


def test_tortoise_the_service_models_skip_the_source_comments_tortoise_reads() -> None:
    from tortoise import fields
    from tortoise.models import Model as TortoiseModel

    class Read(TortoiseModel):
        #: Read from this comment by Tortoise, parsing this module's source.
        title = fields.CharField(max_length=10)

    class Skipped(compat_tortoise.Model):
        #: Left alone: the service's models start without parsing their source.
        title = fields.CharField(max_length=10)

    assert Read.describe()["data_fields"][0]["description"] == (
        "Read from this comment by Tortoise, parsing this module's source."
    )
    assert Skipped.describe()["data_fields"][0]["description"] is None


def test_tortoise_no_other_module_touches_its_private_names() -> None:
    names = (
        "_current_context",
        "_in_transaction",
        "_init_from_db",
        "_lock",
        "_connection",
        "_meta",
        "_no_comments",
    )
    # Reached on another object (`Model._meta`, `client._lock`); `self._lock` is a class's own.
    private = re.compile(rf"(?<!\bself)\.({'|'.join(names)})\b")
    root = Path(orm.__file__).parent.parent
    modules = [root / "app.py", *(root / layer for layer in ("orm", "resolvers", "schema"))]
    for path in sorted(
        p for module in modules for p in ([module] if module.is_file() else module.rglob("*.py"))
    ):
        if path.name != "compat_tortoise.py":
            assert private.findall(path.read_text()) == [], path.relative_to(root)
