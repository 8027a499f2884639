"""`schema.core.compat_graphql` holds on the installed graphql-core, and says so when it would not.

What it is for (a subscription's memory stays flat) is held by
`tests/messaging/test_memory.py`.
"""

from __future__ import annotations

import pytest

from schema.core.compat_graphql import check


def test_the_installed_graphql_core_has_what_the_compat_module_reaches_for() -> None:
    check()


def test_a_graphql_core_that_renamed_the_memo_fails_at_import() -> None:
    class Renamed:
        def __init__(self) -> None:
            self.memo: dict[object, object] = {}

        def build_per_event_executor(self) -> None:
            pass

    with pytest.raises(ImportError, match="_relevant_sub_fields"):
        check(Renamed)
