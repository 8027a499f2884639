"""The GraphQL schema: root types composed from one module per domain."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES, SubscriptionResult
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from resolvers.language import DEFAULT, Language
from schema.accounts import AccountMutations, AccountQueries
from schema.core.compat_strawberry import graphql_schema
from schema.core.documents import Documents
from schema.core.errors import with_code
from schema.core.executor import PerEventMemoExecutor
from schema.core.pipeline import Operation, Pipeline, Streamed
from schema.discovery import DiscoveryQueries
from schema.mentoring import RelationshipMutations, RelationshipQueries
from schema.messaging import MessagingMutations, MessagingSubscriptions
from schema.moderation import ModerationMutations, ModerationQueries
from schema.nodes import NodeQueries
from schema.notifications import NotificationMutations
from schema.privacy import PrivacyMutations, PrivacyQueries
from schema.profiles import Mentee, Mentor, ProfileMutations, ProfileQueries
from schema.scalars import SCALARS
from schema.topics import TopicQueries
from schema.working_together import WorkingTogetherMutations


@strawberry.type(description="Reads: POST /graphql, or GET /graphql?query=...")
class Query(
    AccountQueries,
    ProfileQueries,
    DiscoveryQueries,
    RelationshipQueries,
    NodeQueries,
    TopicQueries,
    ModerationQueries,
    PrivacyQueries,
):
    pass


@strawberry.type(description="Changes: POST /graphql only (a mutation sent by GET answers 405).")
class Mutation(
    AccountMutations,
    ProfileMutations,
    RelationshipMutations,
    MessagingMutations,
    WorkingTogetherMutations,
    NotificationMutations,
    ModerationMutations,
    PrivacyMutations,
):
    pass


@strawberry.type(
    description="Live streams over WebSocket /graphql (graphql-transport-ws); the token "
    'goes in the connection_init payload, `{"authorization": "Bearer <token>"}`.'
)
class Subscription(MessagingSubscriptions):
    pass


# graphql-core suggests names for unknown fields, arguments, types, enum
# values and input fields; Strawberry's switch removes only the first kind.
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


class MentoringSchema(strawberry.Schema):
    """Strawberry's schema, running every operation through `schema.core.pipeline`.

    `execute` (HTTP), `stream` (WebSocket: Strawberry's graphql-transport-ws
    handler runs every operation type through it) and `subscribe` are
    Strawberry's public entry points; all three hand over to the one pipeline,
    so the schema has no extensions of its own.
    """

    def __init__(self, *args: Any, introspection: bool = True, **options: Any) -> None:
        super().__init__(*args, **options)
        documents = Documents(graphql_schema(self), introspection=introspection)
        self.pipeline = Pipeline(documents, self.process_errors, self.execution_context_class)

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
        operation = Operation(
            query, variable_values, operation_name, context_value, root_value, operation_extensions
        )
        return await self.pipeline.execute(
            operation, allowed_operation_types or DEFAULT_ALLOWED_OPERATION_TYPES
        )

    async def stream(  # never yields incremental delivery frames
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
    ) -> Streamed:
        operation = Operation(
            query, variable_values, operation_name, context_value, root_value, operation_extensions
        )
        return self.pipeline.stream(
            operation, allowed_operation_types or DEFAULT_ALLOWED_OPERATION_TYPES
        )

    async def subscribe(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> SubscriptionResult:
        operation = Operation(
            query, variable_values, operation_name, context_value, root_value, operation_extensions
        )
        return self.pipeline.stream(operation, (OperationType.SUBSCRIPTION,))

    def process_errors(
        self,
        errors: list[GraphQLError],
        execution_context: ExecutionContext | None = None,
        language: Language = DEFAULT,
    ) -> None:
        # Strawberry hands every error list here before it leaves (and edits
        # errors here itself, for field suggestions), so the list is rewritten
        # in place. Unexpected errors are logged inside `with_code`; the
        # client's own mistakes and domain refusals are answers, not faults.
        # The pipeline passes the request's language.
        errors[:] = [with_code(error, language) for error in errors]
        if self.config.disable_field_suggestions:
            for error in errors:
                error.message = _SUGGESTION.sub("", error.message)


def build_schema(
    *, introspection: bool = True, field_suggestions: bool = True, **options: Any
) -> strawberry.Schema:
    # No schema extensions: every policy is a step of `schema.core.pipeline`, which
    # runs all three operation types (Strawberry would run an extension's
    # hooks on the operations that reach its own pipeline only).
    return MentoringSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Mentor, Mentee],
        introspection=introspection,
        execution_context_class=PerEventMemoExecutor,
        config=StrawberryConfig(
            auto_camel_case=True,
            disable_field_suggestions=not field_suggestions,
            scalar_map=SCALARS,
        ),
        **options,
    )


@cache
def configured_schema(*, introspection: bool, field_suggestions: bool) -> strawberry.Schema:
    """One schema per configuration, built once per process."""
    return build_schema(introspection=introspection, field_suggestions=field_suggestions)


schema = configured_schema(introspection=True, field_suggestions=True)
