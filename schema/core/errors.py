"""The error contract: every error leaves with `extensions.code`.

`MentoringSchema.process_errors` applies `with_code` to every error list
Strawberry produces (parse, validation, execution, subscription events),
before any of them reaches a client.

Domain errors keep their message and code, and so does any error that comes
with a code already: the query limits' QUERY_TOO_COMPLEX, and a document
that does not parse (GRAPHQL_PARSE_FAILED) or validate
(GRAPHQL_VALIDATION_FAILED), which `schema.core.documents` marks once per
text, so that a client tells its own bug from a bad form value. graphql-core's
other reports (variable and argument coercion) and Strawberry's refusals of
the request itself (no query, an unknown operation) are the client's:
BAD_USER_INPUT.
Anything else is unexpected, with or without a path (an exception raised
before a subscription's first event has none): logged with its traceback
here, and replaced by a generic message so that no stack trace, SQL, path or
library message leaves the server.
"""

from __future__ import annotations

import logging

from graphql import GraphQLError
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from resolvers.catalogue import Text, _
from resolvers.errors import DomainError
from resolvers.language import DEFAULT, Language

logger = logging.getLogger("mentoring.errors")

GENERIC = _("Something went wrong on our side. It has been logged.")
GENERIC_MESSAGE = str(GENERIC)
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"

# What Strawberry raises about the request as sent, wrapped in a GraphQLError.
_REQUEST_ERRORS = (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError)


def _root_cause(error: GraphQLError) -> BaseException | None:
    cause: BaseException | None = error.original_error
    while isinstance(cause, GraphQLError) and cause.original_error is not None:
        cause = cause.original_error
    return cause


def _is_the_clients(error: GraphQLError, cause: BaseException | None) -> bool:
    if cause is None or isinstance(cause, _REQUEST_ERRORS):
        return True
    # Variable coercion wraps graphql-core's report of the bad value, which
    # may carry the scalar's own complaint about it: a GraphQLError in
    # between, and no path. An exception raised in our code is wrapped
    # directly (or located at a field, with a path).
    return error.path is None and isinstance(error.original_error, GraphQLError)


def with_code(error: GraphQLError, language: Language = DEFAULT) -> GraphQLError:
    """The error as the client may see it, its message in `language` (not its code)."""
    if error.extensions and "code" in error.extensions:
        return _translated(error, language)
    cause = _root_cause(error)
    if isinstance(cause, DomainError):
        return GraphQLError(
            cause.message_in(language),
            nodes=error.nodes,
            path=error.path,
            extensions={"code": cause.code, **cause.extensions_in(language)},
        )
    if _is_the_clients(error, cause):
        return _client_error(error)
    where = ".".join(map(str, error.path)) if error.path else "the operation"
    logger.error("Unexpected error in %s", where, exc_info=cause)
    return GraphQLError(
        GENERIC.in_language(language),
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR"},
    )


def _translated(error: GraphQLError, language: Language) -> GraphQLError:
    """A coded error whose message is a catalogue text (a permission's), in `language`.

    Messages that are not in the catalogue (graphql-core's own) stay as they are.
    """
    message = Text(error.message).in_language(language)
    if message == error.message:
        return error
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=error.extensions,
    )


def _client_error(error: GraphQLError) -> GraphQLError:
    return coded(error, "BAD_USER_INPUT")


def coded(error: GraphQLError, code: str) -> GraphQLError:
    """The error with `code`, unless it carries one already (the limits' own)."""
    if error.extensions and "code" in error.extensions:
        return error
    return GraphQLError(
        error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), "code": code},
    )
