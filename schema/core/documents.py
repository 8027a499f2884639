"""Every document text is checked once: its tokens, its parse, its validation, its cost.

Clients send the same few documents over and over, so the work that depends
on the text alone is done on its first request and kept (least recently
used first out, `MAX_DOCUMENTS` texts): counting tokens before parsing
(`schema.core.limits.MAX_TOKENS`), parsing, validating with graphql-core's rules
plus the depth and alias limits (and without introspection when it is
switched off). Its refusals carry their codes from here: GRAPHQL_PARSE_FAILED,
GRAPHQL_VALIDATION_FAILED, or the limits' QUERY_TOO_COMPLEX. The cost
depends on the page sizes a request passes in variables too, so it is kept
per operation and per value of those variables. A request that repeats a
document pays a dictionary lookup before execution.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    NoSchemaIntrospectionCustomRule,
    VariableNode,
    get_operation_ast,
    parse,
    visit,
)
from graphql.language import ArgumentNode, Visitor
from strawberry.schema.schema import validate_document

from schema.core.errors import PARSE_FAILED, VALIDATION_FAILED, coded
from schema.core.limits import (
    LIMIT_RULES,
    MAX_COST,
    MAX_INTROSPECTION_COST,
    MAX_TOKENS,
    TOO_COSTLY,
    cost_of,
    count_tokens,
    too_complex,
)
from schema.core.measure import ID_LIST_ARGUMENT, PAGE_SIZE_ARGUMENTS

MAX_DOCUMENTS = 500
# Distinct page sizes remembered per document: beyond, the cost is computed
# each time (a client cycling through sizes gains nothing from a cache).
MAX_COSTS_PER_DOCUMENT = 64
# A page-size variable the request does not send: its default applies, so
# its cost is not that of an explicit null.
_NOT_SENT = object()


class _PageVariables(Visitor):
    """The variables a document passes as page sizes (`first`/`last`) or id lists
    (`ids`, whose length sizes the answer)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        sizes = node.name.value in PAGE_SIZE_ARGUMENTS or node.name.value == ID_LIST_ARGUMENT
        if sizes and isinstance(node.value, VariableNode):
            self.names.add(node.value.name.value)


def _size(value: Any) -> Any:
    """What of a size variable's value the cost depends on: a list's length."""
    return len(value) if isinstance(value, list) else value


@dataclass
class Checked:
    """What a document text is, once checked: errors before execution, or a document."""

    document: DocumentNode | None
    # Token limit or syntax: nothing else could be known.
    parse_errors: list[GraphQLError] = field(default_factory=list)
    validation_errors: list[GraphQLError] = field(default_factory=list)
    page_variables: tuple[str, ...] = ()
    # (operation name, page-size variable values) -> the refusal, or None.
    _costs: dict[tuple[Any, ...], GraphQLError | None] = field(default_factory=dict)

    def cost_error(
        self,
        schema: GraphQLSchema,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
    ) -> GraphQLError | None:
        """QUERY_TOO_COMPLEX when the operation with these variables is over its budget."""
        assert self.document is not None
        sent = variables or {}
        values = tuple(_size(sent.get(name, _NOT_SENT)) for name in self.page_variables)
        key = (operation_name, *values)
        try:
            return self._costs[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value: measured, not remembered
            return self._measure(schema, operation_name, variables)
        refusal = self._measure(schema, operation_name, variables)
        if len(self._costs) < MAX_COSTS_PER_DOCUMENT:
            self._costs[key] = refusal
        return refusal

    def _measure(
        self,
        schema: GraphQLSchema,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
    ) -> GraphQLError | None:
        assert self.document is not None
        operation = get_operation_ast(self.document, operation_name)
        if operation is None:
            return None  # execution reports the unknown operation
        measured = cost_of(schema, self.document, operation, variables)
        if measured.cost > MAX_COST or measured.introspection_cost > MAX_INTROSPECTION_COST:
            return too_complex(TOO_COSTLY)
        return None


class Documents:
    """The checked documents of one schema."""

    def __init__(self, schema: GraphQLSchema, *, introspection: bool = True) -> None:
        self.schema = schema
        rules: list[type[ASTValidationRule]] = list(LIMIT_RULES)
        if not introspection:
            rules.append(NoSchemaIntrospectionCustomRule)
        self.rules: Sequence[type[ASTValidationRule]] = tuple(rules)
        self.get = lru_cache(maxsize=MAX_DOCUMENTS)(self._check)

    def _check(self, query: str) -> Checked:
        if count_tokens(query, stop_after=MAX_TOKENS) > MAX_TOKENS:
            return Checked(None, [too_complex(f"The document has more than {MAX_TOKENS} tokens.")])
        try:
            document = parse(query)
        except GraphQLError as error:
            return Checked(None, [coded(error, PARSE_FAILED)])
        errors = [
            coded(error, VALIDATION_FAILED)
            for error in validate_document(self.schema, document, tuple(self.rules))
        ]
        pages = _PageVariables()
        visit(document, pages)
        return Checked(
            document, validation_errors=errors, page_variables=tuple(sorted(pages.names))
        )
