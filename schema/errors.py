"""The error contract: every error leaves with `extensions.code`.

`MentoringSchema.process_errors` applies `with_code` to every error list
Strawberry produces (parse, validation, execution, subscription events),
before any of them reaches a client.

Domain errors keep their message and code, and so does any error that comes
with a code already (the query limits' QUERY_TOO_COMPLEX). Errors found
before execution (syntax, validation, variable coercion) are the client's:
BAD_USER_INPUT.
Anything else is unexpected: logged with its traceback here, and replaced by a
generic message so that no stack trace, SQL or path leaves the server.
"""

from __future__ import annotations

import logging

from graphql import GraphQLError

from resolvers.errors import DomainError

logger = logging.getLogger("mentoring.errors")

GENERIC_MESSAGE = "Something went wrong on our side. It has been logged."


def _root_cause(error: GraphQLError) -> BaseException | None:
    cause: BaseException | None = error.original_error
    while isinstance(cause, GraphQLError) and cause.original_error is not None:
        cause = cause.original_error
    return cause


def with_code(error: GraphQLError) -> GraphQLError:
    """The error as the client may see it."""
    if error.extensions and "code" in error.extensions:
        return error
    cause = _root_cause(error)
    if isinstance(cause, DomainError):
        return GraphQLError(
            cause.message,
            nodes=error.nodes,
            path=error.path,
            extensions={"code": cause.code, **cause.extensions},
        )
    if cause is None or error.path is None:
        # No cause: syntax and validation errors. No path: the error arose
        # before execution, while coercing the client's variables.
        return _client_error(error)
    logger.error("Unexpected error in %s", ".".join(map(str, error.path or [])), exc_info=cause)
    return GraphQLError(
        GENERIC_MESSAGE,
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR"},
    )


def _client_error(error: GraphQLError) -> GraphQLError:
    return GraphQLError(
        error.message,
        nodes=error.nodes,
        path=error.path,
        extensions={**(error.extensions or {}), "code": "BAD_USER_INPUT"},
    )
