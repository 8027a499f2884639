"""The shared API contract: every operation validates against the schema.

Operations owned by issues still open are listed in PENDING and expected to
fail (strictly: once one validates, the test fails until it leaves the list).
"""

from __future__ import annotations

import pytest
from graphql import parse, validate

from schema import schema
from tests.support import CONTRACT, ROOT, contract_operations

PENDING: dict[str, str] = {}


def test_the_contract_is_where_the_tests_expect_it() -> None:
    assert CONTRACT.is_file(), f"missing {CONTRACT}"
    assert len(contract_operations()) >= 25


@pytest.mark.parametrize("name", sorted(contract_operations()))
def test_contract_operation_validates(name: str, request: pytest.FixtureRequest) -> None:
    if name in PENDING:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"{PENDING[name]} issue"))

    errors = validate(schema._schema, parse(contract_operations()[name]))

    assert errors == []


def test_pending_names_are_real_operations() -> None:
    assert set(PENDING) <= set(contract_operations())


def test_committed_schema_graphql_is_current() -> None:
    committed = (ROOT / "schema.graphql").read_text()

    assert committed == schema.as_str() + "\n", "run `make schema` and commit schema.graphql"


def test_topic_enum_covers_the_seed_topics_with_descriptions() -> None:
    topic = schema._schema.type_map["Topic"]
    values = topic.values  # type: ignore[attr-defined]

    assert {
        "CAREER_PLANNING",
        "APPLICATION_STRATEGY",
        "SOFT_SKILLS",
        "LEADERSHIP",
        "INTERCULTURAL_COMMUNICATION",
        "SUBJECT_EXPERTISE",
        "SELF_MARKETING",
        "NETWORKING",
    } <= set(values)
    assert all(value.description for value in values.values())
