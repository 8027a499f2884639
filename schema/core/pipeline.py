"""The one way every operation runs: queries, mutations and subscriptions alike.

HTTP (queries and mutations) and WebSocket (all three types) come here, and
each step is a policy that therefore holds for every operation:

0. A document sent by hash is looked up, a text checked against its hash,
   and with trusted documents anything unlisted refused
   (`schema.core.persisted`).
1. The document text is checked once and remembered (`schema.core.documents`):
   the token limit, the parse, validation with the limit rules and, when
   introspection is off, without it.
2. The operation is picked, and its type must be one the transport allows.
3. Its cost, with this request's page sizes (`schema.core.limits`).
4. graphql-core executes it, or subscribes to it, with the per-event
   executor (`schema.core.executor`).
5. Every error goes through the schema's `process_errors`: codes, masking,
   logging (`schema.core.errors`).
6. What the operation committed is announced after each result (the outbox,
   `schema.core.publishing`).

Around them all, each operation is watched (`schema.core.observing`): its
figures, its span and its log line, with the same name and outcome whatever
its type and transport.

Strawberry's own pipeline runs its extensions' hooks around each of these
steps on every request, which costs several times what executing
`{ __typename }` does; the steps that depend on the document text alone
are worked out once per text here instead. `tests/test_pipeline.py` holds
every policy to every operation type and transport.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable
from contextlib import aclosing
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any

from graphql import DocumentNode, GraphQLError, execute, subscribe
from graphql import ExecutionResult as CoreResult
from strawberry.exceptions import MissingQueryError
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType
from strawberry.utils.operation import get_operation_type

from resolvers.language import Language
from schema.core import observing
from schema.core.context import Context
from schema.core.documents import Documents
from schema.core.language import known_language
from schema.core.observing import Watch
from schema.core.persisted import PersistedDocuments, Requested
from schema.core.publishing import publish_outbox

# (errors, Strawberry's execution context: none here, the language to write them in)
ProcessErrors = Callable[[list[GraphQLError], None, Language], None]
# What a streaming transport receives: pre-execution refusals, then results.
Streamed = AsyncGenerator[PreExecutionError | ExecutionResult, None]


@dataclass(frozen=True)
class Operation:
    """One request for an operation, as a transport hands it over."""

    query: str | None
    variables: dict[str, Any] | None
    operation_name: str | None
    context: Any
    root_value: Any = None
    operation_extensions: dict[str, Any] | None = None


@dataclass(frozen=True)
class Ready:
    document: DocumentNode
    type: OperationType
    text: str


def _persisted(operation: Operation) -> PersistedDocuments | None:
    """The request's persisted documents, when it needs them (see `schema.core.persisted`)."""
    context = operation.context
    if not isinstance(context, Context):
        return None
    persisted = context.services.persisted
    return persisted if persisted.applies(operation.operation_extensions) else None


def _as_error(error: Exception) -> GraphQLError:
    if isinstance(error, GraphQLError):
        return error
    return GraphQLError(str(error), original_error=error)


class Pipeline:
    def __init__(
        self,
        documents: Documents,
        process_errors: ProcessErrors,
        executor_class: Any,
    ) -> None:
        self.documents = documents
        self.process_errors = process_errors
        self.executor_class = executor_class

    def prepare(
        self, operation: Operation, allowed: Iterable[OperationType], query: str | None
    ) -> Ready | list[GraphQLError]:
        """Steps 1 to 3: the checked document and its type, or the refusals.

        `query` is the text to run: the operation's own, or the one its hash
        names (step 0). Raises Strawberry's request errors (no query, no such
        operation, a type the transport does not allow), which each
        transport answers in its own way.
        """
        if not query:
            raise MissingQueryError
        checked = self.documents.get(query)
        if checked.document is None:
            return list(checked.parse_errors)
        try:
            operation_type = get_operation_type(checked.document, operation.operation_name)
        except RuntimeError as error:
            raise CannotGetOperationTypeError(operation.operation_name) from error
        if operation_type not in allowed:
            raise InvalidOperationTypeError(operation_type)
        if checked.validation_errors:
            return list(checked.validation_errors)
        too_costly = checked.cost_error(
            self.documents.schema, operation.operation_name, operation.variables
        )
        if too_costly is not None:
            return [too_costly]
        return Ready(checked.document, operation_type, query)

    async def by_hash(
        self, persisted: PersistedDocuments, operation: Operation
    ) -> Requested | GraphQLError:
        """Step 0: the text the operation runs, and the hash to file it under.

        A registered document that this process holds is found without
        awaiting anything (`held`): the common case, which `execute`, on
        the hot path, asks for in line.
        """
        held = persisted.held(operation.query, operation.operation_extensions)
        if held is not None:
            return Requested(held)
        return await persisted.resolve(operation.query, operation.operation_extensions)

    async def execute(
        self, operation: Operation, allowed: Iterable[OperationType]
    ) -> ExecutionResult:
        """A query or a mutation: one result (a subscription needs a stream)."""
        watch = observing.watch(operation.operation_name, operation.context)
        if watch is None:
            return await self._execute_request(operation, allowed, None)
        try:
            result = await self._execute_request(operation, allowed, watch)
        except BaseException:
            watch.done(None, refused=True)  # the transport answers it (400, 405)
            raise
        watch.done(result.errors)
        return result

    async def _execute_request(
        self, operation: Operation, allowed: Iterable[OperationType], watch: Watch | None
    ) -> ExecutionResult:
        persisted, query, register = _persisted(operation), operation.query, None
        if persisted is not None:
            query = persisted.held(query, operation.operation_extensions)
            if query is None:
                found = await persisted.resolve(operation.query, operation.operation_extensions)
                if isinstance(found, GraphQLError):
                    return self._refused([found], operation)
                query, register = found.query, found.register
        runnable = [kind for kind in allowed if kind is not OperationType.SUBSCRIPTION]
        ready = self.prepare(operation, runnable, query)
        if not isinstance(ready, Ready):
            return self._refused(ready, operation)
        if watch is not None:
            watch.ready(ready.document, ready.type.value)
        if persisted is not None and register is not None:
            # Filed once it has parsed and validated: no junk under a hash.
            await persisted.register(register, ready.text, operation.context.client_address)
        return await self._execute(ready, operation)

    async def stream(self, operation: Operation, allowed: Iterable[OperationType]) -> Streamed:
        """Any operation, for a streaming transport: subscriptions yield one result per event."""
        watch = observing.watch(operation.operation_name, operation.context)
        persisted, query, register = _persisted(operation), operation.query, None
        if persisted is not None:
            found = await self.by_hash(persisted, operation)
            if isinstance(found, GraphQLError):
                yield self._pre_execution([found], operation, watch)
                return
            query, register = found.query, found.register
        try:
            ready = self.prepare(operation, allowed, query)
        except (CannotGetOperationTypeError, InvalidOperationTypeError, MissingQueryError) as error:
            yield self._pre_execution(
                [GraphQLError(str(error), original_error=error)], operation, watch
            )
            return
        if not isinstance(ready, Ready):
            yield self._pre_execution(ready, operation, watch)
            return
        if watch is not None:
            watch.ready(ready.document, ready.type.value)
        try:
            # Closed with this stream, not later by the collector: a
            # subscription's listeners and figures end when its client's do.
            async with aclosing(self._run(ready, operation, persisted, register, watch)) as run:
                async for result in run:
                    yield result
        except BaseException:  # cancelled, or closed by the transport
            if watch is not None:
                watch.abandoned()
            raise

    async def _run(
        self,
        ready: Ready,
        operation: Operation,
        persisted: PersistedDocuments | None,
        register: str | None,
        watch: Watch | None,
    ) -> Streamed:
        if persisted is not None and register is not None:
            await persisted.register(register, ready.text, operation.context.client_address)
        if ready.type is OperationType.SUBSCRIPTION:
            async for result in self._subscribe(ready, operation, watch):
                yield result
        else:
            result = await self._execute(ready, operation)
            if watch is not None:
                watch.done(result.errors)
            yield result

    async def _execute(self, ready: Ready, operation: Operation) -> ExecutionResult:
        try:
            result = execute(
                self.documents.schema,
                ready.document,
                is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]
                operation_extensions=operation.operation_extensions,
                **self._arguments(operation),
            )
            if isawaitable(result):
                result = await result
        except Exception as error:  # an error answer, not a crash
            return self._refused([_as_error(error)], operation)
        finally:
            await self._announce(operation)
        return self._result(result, operation)

    async def _subscribe(self, ready: Ready, operation: Operation, watch: Watch | None) -> Streamed:
        try:
            started = subscribe(self.documents.schema, ready.document, **self._arguments(operation))
            if isawaitable(started):
                started = await started
        except Exception as error:
            yield self._pre_execution([_as_error(error)], operation, watch)
            return
        if isinstance(started, CoreResult):  # refused before the stream began
            yield self._pre_execution(list(started.errors or []), operation, watch)
            return
        events: AsyncIterator[CoreResult] = started
        if watch is not None:
            watch.done(None)
            events = observing.streaming(events, watch)
        try:
            async with aclosing(events):  # type: ignore[type-var]
                async for event in events:
                    yield self._result(event, operation)
                    await self._announce(operation)
        except Exception as error:  # graphql-core lets the source's faults through
            yield self._refused([_as_error(error)], operation)
        finally:
            await self._announce(operation)

    def _arguments(self, operation: Operation) -> dict[str, Any]:
        """What graphql-core's `execute` and `subscribe` both take of a request."""
        return {
            "root_value": operation.root_value,
            "context_value": operation.context,
            "variable_values": operation.variables,
            "operation_name": operation.operation_name,
            "executor_class": self.executor_class,
        }

    def _result(self, result: CoreResult, operation: Operation) -> ExecutionResult:
        if result.errors:
            self.process_errors(result.errors, None, known_language(operation.context))
        return ExecutionResult(data=result.data, errors=result.errors)

    def _refused(self, errors: list[GraphQLError], operation: Operation) -> ExecutionResult:
        # A copy: a checked document keeps its own errors for the next request.
        answered = list(errors)
        self.process_errors(answered, None, known_language(operation.context))
        return ExecutionResult(data=None, errors=answered)

    def _pre_execution(
        self, errors: list[GraphQLError], operation: Operation, watch: Watch | None = None
    ) -> PreExecutionError:
        answered = list(errors)
        self.process_errors(answered, None, known_language(operation.context))
        if watch is not None:
            watch.done(answered)
        return PreExecutionError(data=None, errors=answered)

    async def _announce(self, operation: Operation) -> None:
        if isinstance(operation.context, Context):
            await publish_outbox(operation.context)
