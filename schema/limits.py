"""Query limits: what one request may ask of the server, refused before any resolver runs.

Every number lives here. A refusal carries `extensions.code` QUERY_TOO_COMPLEX.

- `MAX_TOKENS`: lexical tokens in the document, counted before parsing, so a
  huge document is never turned into a syntax tree (GraphiQL's full
  introspection query has about 190).
- `MAX_DEPTH`: nested selection sets (Strawberry's depth rule; it skips the
  introspection fields, whose nesting the cost below bounds instead).
- `MAX_ALIASES`: aliased fields in the document (Strawberry's rule): aliases
  are how one request asks for the same expensive field many times.
- `MAX_COST`: an estimate of how many fields an answer can hold (see
  `schema.cost`: page sizes and list sizes multiplied down the selection),
  computed for the operation about to run, with its variables, after
  validation. `MAX_INTROSPECTION_COST` is the separate budget of introspection:
  GraphiQL's full introspection query costs about 52,000 (its plain form
  49,000), so two copies of it under aliases are refused. (graphql-core's own
  rule already refuses `__Type.fields` nested three deep.)

Transport limits: the body size (`MAX_BODY_BYTES`, in `schema.body_limit`) and batching
(refused, in `schema.http`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    GraphQLError,
    Lexer,
    Source,
    TokenKind,
    TypeInfo,
    ValidationContext,
)
from graphql.validation import ASTValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from schema.cost import estimate

MAX_TOKENS = 1_000
MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_COST = 5_000
MAX_INTROSPECTION_COST = 75_000
DEFAULT_LIST_SIZE = 10
MAX_BODY_BYTES = 100 * 1024

CODE = "QUERY_TOO_COMPLEX"


def too_complex(message: str, nodes: Any = None) -> GraphQLError:
    return GraphQLError(message, nodes, extensions={"code": CODE})


# ---------------------------------------------------------------- tokens


def count_tokens(query: str, *, stop_after: int) -> int:
    """Tokens in `query`, counting no further than `stop_after` + 1.

    A lexical error ends the count: the parser reports it properly afterwards.
    """
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind is not TokenKind.EOF:
            count += 1
            if count > stop_after:
                break
    except GraphQLError:
        pass
    return count


class TokenLimit(SchemaExtension):
    """Refuses a document with more than MAX_TOKENS tokens before it is parsed.

    Must come before ParserCache in the extension list: hooks run in order, and
    ParserCache parses in its own hook.
    """

    def on_parse(self) -> Iterator[None]:
        query = self.execution_context.query
        if query and count_tokens(query, stop_after=MAX_TOKENS) > MAX_TOKENS:
            raise too_complex(f"The document has more than {MAX_TOKENS} tokens.")
        yield


# ---------------------------------------------------------------- depth and aliases


def _coded(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    """Strawberry's rule, reporting its errors with the QUERY_TOO_COMPLEX code.

    Strawberry's depth and alias rules measure the whole document when they are
    constructed, so handing them a context whose errors get the code is enough.
    """

    class Coded(rule):  # type: ignore[valid-type,misc]
        def __init__(self, context: ValidationContext) -> None:
            def report(error: GraphQLError) -> None:
                context.report_error(too_complex(error.message, error.nodes))

            tagging = ValidationContext(
                context.schema, context.document, TypeInfo(context.schema), report
            )
            super().__init__(tagging)

    Coded.__name__ = f"TooComplex{rule.__name__}"
    return Coded


# Made once: ValidationCache keys its cache on the rule classes.
_LIMIT_RULES = [
    _coded(rule)
    for limiter in (QueryDepthLimiter(max_depth=MAX_DEPTH), MaxAliasesLimiter(MAX_ALIASES))
    for rule in limiter.validation_rules
]


class DepthAndAliasLimits(AddValidationRules):
    def __init__(self) -> None:
        super().__init__(list(_LIMIT_RULES))


# ---------------------------------------------------------------- cost


class CostLimit(SchemaExtension):
    """Refuses an operation whose estimated cost is over its budget, before it executes."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            cost = estimate(
                context.schema._schema,
                context.graphql_document,
                context.operation_name,
                context.variables,
                default_list_size=DEFAULT_LIST_SIZE,
                stop_above=MAX_INTROSPECTION_COST,
            )
            if cost.application > MAX_COST or cost.introspection > MAX_INTROSPECTION_COST:
                raise too_complex(
                    "The operation could return too much: ask for smaller pages "
                    "or fewer nested lists."
                )
        yield


# In this order, before ParserCache (see TokenLimit).
LIMIT_EXTENSIONS: tuple[type[SchemaExtension], ...] = (TokenLimit, DepthAndAliasLimits, CostLimit)
