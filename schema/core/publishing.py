"""After each operation, the committed transitions of its outbox become viewer events.

Resolvers (reads too, by settling due relationships) add what they
committed to `context.outbox`; `publish_outbox` sends it once the operation
has run, so nothing is announced that did not commit: `schema.core.pipeline`
calls it after every result, of every operation type.
"""

from __future__ import annotations

from resolvers import events
from schema.core.context import Context


async def publish_outbox(context: Context) -> None:
    transitions = context.outbox.drain()
    if transitions:
        await events.publish_transitions(context.services.hub, transitions)
