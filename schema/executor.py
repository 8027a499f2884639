"""graphql-core's executor, with a subscription's events forgetting each other's fields.

graphql-core 3.3 memoizes the subfields it collects on the executor, keyed by
the identity of the field lists it builds while executing. A subscription's
events run on shallow copies of one executor, which share that memo, and
every event builds new lists: each event added its entries for as long as the
subscription lived (about 17 per message here). A chat socket open for hours
grew the heap without bound, and the collector's full passes over it paused
the event loop for 70 to 150 ms within a minute of live messaging. Each event
now starts its own memo, which lives as long as the event.
"""

from __future__ import annotations

from typing import Any

from graphql.execution import Executor
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


class PerEventMemoExecutor(StrawberryGraphQLCoreExecutionContext):
    def build_per_event_executor(self, payload: Any) -> Executor[Any]:
        executor = super().build_per_event_executor(payload)
        executor._relevant_sub_fields = {}
        return executor
