"""After each operation, the committed transitions of its outbox become viewer events.

Resolvers (reads too, by settling due relationships) add what they
committed to `context.outbox`; `publish_outbox` sends it once the operation
has run, so nothing is announced that did not commit. Queries and mutations
call it from `schema.execution`; subscriptions through the extension.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension

from resolvers import events
from schema.context import Context


async def publish_outbox(context: Context) -> None:
    transitions = context.outbox.drain()
    if transitions:
        await events.publish_transitions(context.services.hub, transitions)


class PublishOutbox(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if isinstance(context, Context):
            await publish_outbox(context)
