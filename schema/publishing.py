"""After each operation, the committed transitions of its outbox become viewer events.

Resolvers (reads too, by settling due relationships) add what they
committed to `context.outbox`; this extension publishes it once the
operation has run, so nothing is announced that did not commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension

from resolvers import events
from schema.context import Context


class PublishOutbox(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if not isinstance(context, Context):
            return
        transitions = context.outbox.drain()
        if transitions:
            await events.publish_transitions(context.services.hub, transitions)
