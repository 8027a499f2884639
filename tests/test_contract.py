"""The API contract: the operations the project serves validate against the schema.

`clients/operations.graphql` holds the operations the project serves; every one
of them validates. Where the shared contract (`../shared/contract/`, beside the
repository where the project is developed) sits, its operations must validate
too, except those in PENDING: each names the open issue that builds it, and is
expected to fail (strictly: once one validates, the test fails until it leaves
the list). Every served operation that is not pending is the contract's text.
"""

from __future__ import annotations

import pytest
from graphql import parse, validate

from schema import schema
from schema.core.compat_strawberry import graphql_schema
from tests.support import (
    CLIENT_OPERATIONS,
    CONTRACT,
    ROOT,
    client_operations,
    contract_operations,
)

PRIVACY = "#20 Privacy and safety"

PENDING: dict[str, str] = {
    # Contract v2.
}

needs_contract = pytest.mark.skipif(
    not CONTRACT.is_file(), reason=f"the shared contract is not beside the repository ({CONTRACT})"
)


def test_the_served_operations_are_where_the_tests_expect_them() -> None:
    assert CLIENT_OPERATIONS.is_file(), f"missing {CLIENT_OPERATIONS}"
    assert len(client_operations()) >= 25


@pytest.mark.parametrize("name", sorted(client_operations()))
def test_served_operation_validates(name: str) -> None:
    errors = validate(graphql_schema(schema), parse(client_operations()[name]))

    assert errors == []


@needs_contract
@pytest.mark.parametrize("name", sorted(contract_operations()))
def test_contract_operation_validates(name: str, request: pytest.FixtureRequest) -> None:
    if name in PENDING:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"{PENDING[name]} issue"))

    errors = validate(graphql_schema(schema), parse(contract_operations()[name]))

    assert errors == []


@needs_contract
def test_served_operations_are_the_contracts_where_built() -> None:
    contract = contract_operations()
    served = client_operations()

    assert set(served) <= set(contract), "an operation the contract does not have"
    drifted = [name for name in served if name not in PENDING and served[name] != contract[name]]
    assert drifted == [], "copy these from the contract into clients/operations.graphql"


@needs_contract
def test_pending_names_are_real_operations() -> None:
    assert set(PENDING) <= set(contract_operations())


def test_committed_schema_graphql_is_current() -> None:
    committed = (ROOT / "schema.graphql").read_text()

    assert committed == schema.as_str() + "\n", "run `make schema` and commit schema.graphql"


def test_topic_enum_covers_the_seed_topics_with_descriptions() -> None:
    topic = graphql_schema(schema).type_map["Topic"]
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
