"""The GraphQL schema: root types composed from one module per domain."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.accounts import AccountMutations, AccountQueries
from schema.errors import with_code
from schema.mentoring import RelationshipMutations, RelationshipQueries
from schema.profiles import Mentee, Mentor, ProfileMutations, ProfileQueries


@strawberry.type
class Query(AccountQueries, ProfileQueries, RelationshipQueries):
    pass


@strawberry.type
class Mutation(AccountMutations, ProfileMutations, RelationshipMutations):
    pass


class MentoringSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry hands every error list here before it leaves (and edits
        # errors here itself, for field suggestions), so the list is rewritten
        # in place. Unexpected errors are logged inside `with_code`; the
        # client's own mistakes and domain refusals are answers, not faults.
        errors[:] = [with_code(error) for error in errors]


def build_schema(**options: Any) -> strawberry.Schema:
    return MentoringSchema(
        query=Query,
        mutation=Mutation,
        types=[Mentor, Mentee],
        # Classes, not instances: Strawberry makes one per operation, so no
        # state leaks between concurrent requests.
        extensions=[ParserCache, ValidationCache],
        config=StrawberryConfig(auto_camel_case=True),
        **options,
    )


schema = build_schema()
