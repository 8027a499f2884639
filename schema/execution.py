"""How the schema runs a query or mutation: checked documents, then graphql-core.

Strawberry's own `Schema.execute` enters every extension's hooks around
parsing, validation and execution on each request, which costs several
times what executing `{ __typename }` does. The steps those extensions took
(the limits, the parser and validation caches, introspection switched off)
are facts about the document text, so `schema.documents` works them out
once per text; what remains per request is the operation type, the cost for
this request's page sizes, execution, and the error contract. Subscriptions
still run through Strawberry's pipeline and its extensions
(`schema.build_schema`), which apply the same checks; here a subscription is
refused as an operation type not allowed (graphql-core's `execute` cannot
run one: it would resolve the root field as a plain field and fail).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from inspect import isawaitable
from typing import Any

from graphql import GraphQLError, execute
from strawberry.exceptions import MissingQueryError
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.utils.operation import get_operation_type

from schema.context import Context
from schema.documents import Documents
from schema.publishing import publish_outbox

ProcessErrors = Callable[[list[GraphQLError]], None]
RUNNABLE = frozenset({OperationType.QUERY, OperationType.MUTATION})


async def run_operation(
    documents: Documents,
    process_errors: ProcessErrors,
    query: str | None,
    *,
    variables: dict[str, Any] | None,
    context: Any,
    root_value: Any,
    operation_name: str | None,
    allowed: Iterable[OperationType] | None,
    executor_class: Any,
    operation_extensions: dict[str, Any] | None,
) -> ExecutionResult:
    """What Strawberry's `Schema.execute` answers, from the document's checks made once."""
    if not query:
        raise MissingQueryError
    checked = documents.get(query)
    if checked.document is None:
        return _refused(process_errors, checked.parse_errors)
    try:
        operation_type = get_operation_type(checked.document, operation_name)
    except RuntimeError as error:
        raise CannotGetOperationTypeError(operation_name) from error
    if operation_type not in RUNNABLE or operation_type not in (
        allowed or DEFAULT_ALLOWED_OPERATION_TYPES
    ):
        raise InvalidOperationTypeError(operation_type)
    if checked.validation_errors:
        return _refused(process_errors, checked.validation_errors)
    too_costly = checked.cost_error(documents.schema, operation_name, variables)
    if too_costly is not None:
        return _refused(process_errors, [too_costly])
    try:
        result = execute(
            documents.schema,
            checked.document,
            root_value=root_value,
            context_value=context,
            variable_values=variables,
            operation_name=operation_name,
            is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]
            executor_class=executor_class,
            operation_extensions=operation_extensions,
        )
        if isawaitable(result):
            result = await result
    except Exception as error:  # as Strawberry: an error answer, not a crash
        cause = (
            error
            if isinstance(error, GraphQLError)
            else GraphQLError(str(error), original_error=error)
        )
        return _refused(process_errors, [cause])
    finally:
        if isinstance(context, Context):
            await publish_outbox(context)
    if result.errors:
        process_errors(result.errors)
    return ExecutionResult(data=result.data, errors=result.errors)


def _refused(process_errors: ProcessErrors, errors: list[GraphQLError]) -> ExecutionResult:
    # A copy: the checked document keeps its own errors for the next request.
    answered = list(errors)
    process_errors(answered)
    return ExecutionResult(data=None, errors=answered)
