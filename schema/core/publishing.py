"""After each operation, what its outbox holds (committed transitions and
announcements) becomes viewer events.

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
    announcements = context.outbox.drain_announcements()
    if announcements:
        await events.publish_announcements(context.services.hub, announcements)
