"""The one place that reaches into graphql-core below its public API.

- `forget_collected_subfields`: graphql-core 3.3 memoizes the subfields it
  collects on the executor (`_relevant_sub_fields`), keyed by the identity
  of field lists built while executing. A subscription's events run on
  copies of one executor that share the memo, and every event builds new
  lists, so a chat socket grew the heap by about 17 entries per message for
  as long as it lived; the collector's full passes over it paused the event
  loop for 70 to 150 ms within a minute of live messaging (README, "Private
  messages, live"). Each event now starts with its own memo.

Importing this module checks that what it relies on is still there, so an
upgrade of graphql-core that moves it fails at import, not in a request
(`tests/test_compat_graphql.py`).
"""

from __future__ import annotations

from typing import Any

from graphql.execution import Executor

_MEMO = "_relevant_sub_fields"


def check(executor_class: type = Executor) -> None:
    if _MEMO not in executor_class.__dict__["__init__"].__code__.co_names:
        raise ImportError(f"graphql-core's Executor no longer keeps its subfield memo in {_MEMO}")
    if not hasattr(executor_class, "build_per_event_executor"):
        raise ImportError("graphql-core's Executor no longer builds per-event executors")


def forget_collected_subfields(executor: Executor[Any]) -> None:
    setattr(executor, _MEMO, {})


check()
