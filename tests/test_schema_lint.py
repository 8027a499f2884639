"""graphql-schema-linter over schema.graphql: descriptions, Relay connections, naming.

The rules are in tests/clients/package.json ("graphql-schema-linter"):
every type, field, argument, enum value and input field described (the
descriptions are what GraphiQL and editors show on hover), connections and
PageInfo as the Relay specification has them, names cased as GraphQL
conventions want, every defined type used. An exception, if one is ever
needed, goes into "ignore" there with its reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.node import CLIENTS, run, tool
from tests.support import ROOT

DESCRIPTION_RULES = {
    "types-have-descriptions",
    "fields-have-descriptions",
    "arguments-have-descriptions",
    "enum-values-have-descriptions",
    "input-object-values-have-descriptions",
}
RELAY_RULES = {
    "relay-connection-types-spec",
    "relay-connection-arguments-spec",
    "relay-page-info-spec",
}
NAMING_RULES = {"types-are-capitalized", "enum-values-all-caps", "fields-are-camel-cased"}


def _lint(schema: Path) -> list[dict[str, Any]]:
    linted = run(tool("graphql-schema-linter"), "--format", "json", str(schema))
    assert linted.returncode in (0, 1), linted.stderr
    errors: list[dict[str, Any]] = json.loads(linted.stdout)["errors"]
    return errors


def test_the_configuration_runs_the_description_relay_and_naming_rules() -> None:
    configured = json.loads((CLIENTS / "package.json").read_text())["graphql-schema-linter"]

    assert set(configured["rules"]) >= DESCRIPTION_RULES | RELAY_RULES | NAMING_RULES
    assert "input-object-fields-sorted-alphabetically" not in configured["rules"]


def test_schema_graphql_is_lint_clean() -> None:
    errors = _lint(ROOT / "schema.graphql")

    assert [f"{error['rule']}: {error['message']}" for error in errors] == []


def test_the_linter_reports_what_the_rules_forbid(tmp_path: Path) -> None:
    # The same configuration over a schema that breaks each kind of rule once:
    # the clean result above means the rules ran and found nothing.
    schema = tmp_path / "bad.graphql"
    schema.write_text(
        '"""The root."""\n'
        "type Query {\n"
        '  """Things, paged."""\n'
        "  things(size: Int): thingConnection!\n"
        "}\n"
        '"""A page."""\n'
        "type thingConnection {\n"
        '  """The things."""\n'
        "  items: [String!]!\n"
        "}\n"
        '"""Kinds."""\n'
        "enum kind {\n"
        "  big\n"
        "}\n"
    )

    rules = {error["rule"] for error in _lint(schema)}

    assert {
        "arguments-have-descriptions",
        "enum-values-have-descriptions",
        "relay-connection-types-spec",
        "relay-connection-arguments-spec",
        "types-are-capitalized",
        "enum-values-all-caps",
        "defined-types-are-used",
    } <= rules
