"""Unexpected failures: a generic message out, the full detail in the log."""

from __future__ import annotations

import logging

import pytest
import strawberry

from resolvers.errors import Conflict
from schema import MentoringSchema


def failing_schema() -> strawberry.Schema:
    @strawberry.type
    class Query:
        @strawberry.field
        def broken(self) -> str:
            raise RuntimeError("SELECT secret FROM user -- /srv/app/orm/models.py")

        @strawberry.field
        def refused(self) -> str:
            raise Conflict("That cannot happen now.", detail="extra")

    return MentoringSchema(query=Query)


async def test_an_unexpected_exception_is_masked_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="mentoring.errors"):
        result = await failing_schema().execute("{ broken }")

    assert result.errors is not None
    error = result.errors[0].formatted
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "SELECT" not in str(error)
    assert "/srv" not in str(error)
    assert "RuntimeError" in caplog.text
    assert "SELECT secret" in caplog.text


async def test_a_domain_error_keeps_its_message_code_and_extensions(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="mentoring.errors"):
        result = await failing_schema().execute("{ refused }")

    assert result.errors is not None
    error = result.errors[0].formatted
    assert error["message"] == "That cannot happen now."
    assert error["extensions"] == {"code": "CONFLICT", "detail": "extra"}
    assert caplog.text == ""


async def test_validation_errors_are_the_clients_and_carry_a_code() -> None:
    result = await failing_schema().execute("{ nope }")

    assert result.errors is not None
    assert result.errors[0].formatted["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}


async def test_a_document_that_does_not_parse_says_so_and_where() -> None:
    result = await failing_schema().execute("{ refused ")

    assert result.errors is not None
    error = result.errors[0].formatted
    assert error["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}
    assert error["locations"] == [{"line": 1, "column": 11}]
