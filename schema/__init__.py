"""The GraphQL schema: root types composed from one module per domain."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from schema.accounts import AccountMutations, AccountQueries
from schema.discovery import DiscoveryQueries
from schema.documents import Documents
from schema.errors import with_code
from schema.execution import run_operation
from schema.executor import PerEventMemoExecutor
from schema.limits import LIMIT_EXTENSIONS
from schema.mentoring import RelationshipMutations, RelationshipQueries
from schema.messaging import MessagingMutations, MessagingSubscriptions
from schema.profiles import Mentee, Mentor, ProfileMutations, ProfileQueries
from schema.publishing import PublishOutbox


@strawberry.type
class Query(AccountQueries, ProfileQueries, DiscoveryQueries, RelationshipQueries):
    pass


@strawberry.type
class Mutation(AccountMutations, ProfileMutations, RelationshipMutations, MessagingMutations):
    pass


@strawberry.type
class Subscription(MessagingSubscriptions):
    pass


# graphql-core suggests names for unknown fields, arguments, types, enum
# values and input fields; Strawberry's switch removes only the first kind.
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


class MentoringSchema(strawberry.Schema):
    """Strawberry's schema, running queries and mutations through `schema.execution`."""

    def __init__(self, *args: Any, introspection: bool = True, **options: Any) -> None:
        super().__init__(*args, **options)
        self.documents = Documents(self._schema, introspection=introspection)

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        return await run_operation(
            self.documents,
            self._process_errors,
            query,
            variables=variable_values,
            context=context_value,
            root_value=root_value,
            operation_name=operation_name,
            allowed=allowed_operation_types,
            executor_class=self.execution_context_class,
            operation_extensions=operation_extensions,
        )

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry hands every error list here before it leaves (and edits
        # errors here itself, for field suggestions), so the list is rewritten
        # in place. Unexpected errors are logged inside `with_code`; the
        # client's own mistakes and domain refusals are answers, not faults.
        errors[:] = [with_code(error) for error in errors]
        if self.config.disable_field_suggestions:
            for error in errors:
                error.message = _SUGGESTION.sub("", error.message)


def build_schema(
    *, introspection: bool = True, field_suggestions: bool = True, **options: Any
) -> strawberry.Schema:
    # For subscriptions: queries and mutations apply the same checks through
    # `schema.documents` (see `schema.execution`). Classes, not instances:
    # Strawberry makes one per operation, so no state leaks between concurrent
    # requests. The limits come first: TokenLimit must see the document before
    # ParserCache parses it.
    extensions: list[Any] = [*LIMIT_EXTENSIONS, ParserCache, ValidationCache, PublishOutbox]
    if not introspection:
        extensions.append(DisableIntrospection)
    return MentoringSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Mentor, Mentee],
        extensions=extensions,
        introspection=introspection,
        execution_context_class=PerEventMemoExecutor,
        config=StrawberryConfig(
            auto_camel_case=True, disable_field_suggestions=not field_suggestions
        ),
        **options,
    )


@cache
def configured_schema(*, introspection: bool, field_suggestions: bool) -> strawberry.Schema:
    """One schema per configuration, built once per process."""
    return build_schema(introspection=introspection, field_suggestions=field_suggestions)


schema = configured_schema(introspection=True, field_suggestions=True)
