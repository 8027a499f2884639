"""Query limits: what one request may ask of the server, refused before any resolver runs.

Every number lives here. A refusal carries `extensions.code` QUERY_TOO_COMPLEX.

- `MAX_TOKENS`: lexical tokens in the document, counted before parsing, so a
  huge document is never turned into a syntax tree (GraphiQL's full
  introspection query has about 190).
- `MAX_DEPTH`: levels of nested selections (the contract's deepest operation
  has 5).
- `MAX_ALIASES`: aliased fields: aliases are how one request asks for the
  same expensive field many times.
- `MAX_COST`: an estimate of how many fields an answer can hold: page sizes
  and list sizes (`DEFAULT_LIST_SIZE` where a list has no page size)
  multiplied down the selection. Page sizes count wherever they come from
  (literals, variables, variable defaults, argument defaults); an omitted or
  null one counts the page its field then serves (`DEFAULT_PAGE_SIZES`).
  Computed for the operation about to run, with its variables, after
  validation. `MAX_INTROSPECTION_COST` is the separate budget of
  introspection: GraphiQL's full introspection query costs about 52,000 (the
  plain one 49,000), so two copies under aliases are refused.
- Introspection depth: graphql-core's rule refusing introspection nested
  too deep (`fields { type { fields ...`), with the code of every limit.

`schema.core.measure` computes the three; the token count, depth and aliases
are checked once per document text, with its validation (`LIMIT_RULES` are
the validation rules of every operation, in `schema.core.documents`); the cost
when the operation is about to run, since it depends on the variables
(`schema.core.pipeline`). Transport limits: the body size (`MAX_BODY_BYTES`, in
`schema.core.body_limit`) and batching (refused, in `schema.core.http`).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    FragmentDefinitionNode,
    GraphQLError,
    Lexer,
    MaxIntrospectionDepthRule,
    OperationDefinitionNode,
    Source,
    TokenKind,
    ValidationContext,
    ValidationRule,
    specified_rules,
)

from resolvers import discovery, messaging, moderation
from schema.core.measure import Measure, measure

MAX_TOKENS = 1_000
MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_COST = 5_000
MAX_INTROSPECTION_COST = 75_000
DEFAULT_LIST_SIZE = 10
# The largest page any field serves (searchMentors, messages): every paged
# resolver refuses a larger `first`/`last` with BAD_USER_INPUT.
MAX_PAGE_SIZE = 100
# The page each paged field serves when `first`/`last` is omitted or null:
# the resolvers' own defaults (the schema declares these arguments `= null`).
DEFAULT_PAGE_SIZES: dict[tuple[str, str], int] = {
    ("Query", "searchMentors"): discovery.SEARCH_PAGE[0],
    ("Query", "mentorSuggestions"): discovery.SUGGESTION_PAGE[0],
    ("Relationship", "messages"): messaging.DEFAULT_PAGE,
    ("Query", "reports"): moderation.REPORTS_PAGE[0],
    ("Query", "moderationLog"): moderation.LOG_PAGE[0],
}
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


# ---------------------------------------------------------------- depth, aliases, cost


def _fragments(document: Any) -> dict[str, FragmentDefinitionNode]:
    return {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }


TOO_COSTLY = "The operation could return too much: ask for smaller pages or fewer nested lists."


def cost_of(schema: Any, document: Any, operation: Any, variables: Any) -> Measure:
    return measure(
        schema,
        _fragments(document),
        operation,
        variables,
        default_list_size=DEFAULT_LIST_SIZE,
        max_page_size=MAX_PAGE_SIZE,
        default_page_sizes=DEFAULT_PAGE_SIZES,
    )


class DepthAndAliasRule(ValidationRule):
    """Refuses operations nested deeper than MAX_DEPTH or with more than MAX_ALIASES aliases."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        for operation in context.document.definitions:
            if not isinstance(operation, OperationDefinitionNode):
                continue
            measured = cost_of(context.schema, context.document, operation, None)
            if measured.depth > MAX_DEPTH:
                context.report_error(
                    too_complex(f"The operation is nested deeper than {MAX_DEPTH} levels.")
                )
            if measured.aliases > MAX_ALIASES:
                context.report_error(
                    too_complex(f"The operation has more than {MAX_ALIASES} aliases.")
                )


class IntrospectionDepthRule(MaxIntrospectionDepthRule):
    """graphql-core's introspection depth rule, refusing as every limit does."""

    def report_error(self, error: GraphQLError) -> None:
        super().report_error(too_complex(error.message, error.nodes))


def _limited(rules: tuple[type[ASTValidationRule], ...]) -> tuple[type[ASTValidationRule], ...]:
    coded = tuple(
        IntrospectionDepthRule if rule is MaxIntrospectionDepthRule else rule for rule in rules
    )
    return (*coded, DepthAndAliasRule)


# graphql-core's rules with the limits: the validation of every operation.
LIMIT_RULES = _limited(tuple(specified_rules))
