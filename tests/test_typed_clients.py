"""The typed-client check: GraphQL Code Generator and `tsc --strict` over the schema.

GraphQL Code Generator (client preset) turns `schema.graphql` and
`clients/operations.graphql` into TypeScript types (Date and DateTime as
string, JSON as unknown); `tsc --noEmit --strict` then checks
`tests/clients/typed-usage.ts`, code an SPA would write with them. A schema
that drifts from what the operations or that code expect fails here, as it
would fail the SPA's own build.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.node import CLIENTS, INSTALLED, run, tool
from tests.support import ROOT

SCHEMA = ROOT / "schema.graphql"


@dataclass(frozen=True)
class Checked:
    codegen: str
    """What GraphQL Code Generator reported."""
    generated: bool
    tsc: str | None
    """tsc's complaints; None when it found nothing (or did not run)."""


def _typecheck(schema: Path, workspace: Path) -> Checked:
    """Generate types for `schema` into `workspace`, then type-check the usage file there.

    Each run works in its own folder, so tests may run side by side.
    """
    for name in ("typed-usage.ts", "tsconfig.json"):
        shutil.copy(CLIENTS / name, workspace / name)
    (workspace / "node_modules").symlink_to(INSTALLED, target_is_directory=True)
    generated = run(
        tool("graphql-codegen"),
        "--config",
        "codegen.mjs",
        "--errors-only",
        env={"CODEGEN_SCHEMA": str(schema), "CODEGEN_OUT": f"{workspace / 'generated'}/"},
    )
    codegen = generated.stdout + generated.stderr
    if generated.returncode != 0:
        return Checked(codegen, generated=False, tsc=None)
    checked = run(tool("tsc"), "-p", str(workspace), "--noEmit", "--strict", cwd=workspace)
    tsc = None if checked.returncode == 0 else checked.stdout + checked.stderr
    return Checked(codegen, generated=True, tsc=tsc)


def test_the_operations_generate_types_that_the_typed_usage_compiles_against(
    tmp_path: Path,
) -> None:
    checked = _typecheck(SCHEMA, tmp_path)

    assert checked.generated, checked.codegen
    assert checked.tsc is None, checked.tsc
    generated = (tmp_path / "generated" / "graphql.ts").read_text()
    assert "export type MyRelationshipsQuery" in generated
    assert "export const MessageAddedDocument" in generated


@dataclass(frozen=True)
class Drift:
    """A schema edit, and what must then fail naming what drifted: the codegen's
    validation of the operations, or tsc over the usage file."""

    old: str
    new: str
    fails: str
    named: str
    added: str = ""

    def apply(self, schema: str) -> str:
        assert self.old in schema, "the drift no longer applies to schema.graphql: update DRIFTS"
        return schema.replace(self.old, self.new) + self.added


DRIFTS = {
    "a selected field is renamed": Drift(
        "  unreadCount: Int!\n", "  unreadMessages: Int!\n", "codegen", "unreadCount"
    ),
    "an enum value the client sends is renamed": Drift(
        "  BIWEEKLY\n", "  FORTNIGHTLY\n", "tsc", "BIWEEKLY"
    ),
    "a timestamp becomes nullable": Drift(
        "  sentAt: DateTime!\n", "  sentAt: DateTime\n", "tsc", "typed-usage.ts"
    ),
    "a custom scalar without a client mapping": Drift(
        "  sentAt: DateTime!\n",
        "  sentAt: Instant!\n",
        "codegen",
        "Unknown scalar type Instant",
        added='\n"""A point in time."""\nscalar Instant\n',
    ),
}


@pytest.mark.parametrize("name", sorted(DRIFTS))
def test_schema_drift_fails_the_typed_client_check(name: str, tmp_path: Path) -> None:
    drift = DRIFTS[name]
    drifted = tmp_path / "schema.graphql"
    drifted.write_text(drift.apply(SCHEMA.read_text()))
    workspace = tmp_path / "workspace"
    workspace.mkdir()

    checked = _typecheck(drifted, workspace)

    if drift.fails == "codegen":
        assert not checked.generated
        assert drift.named in checked.codegen
    else:
        assert checked.generated, checked.codegen
        assert checked.tsc is not None
        assert drift.named in checked.tsc
