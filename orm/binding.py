"""Binding the Tortoise context to code that runs outside the task that opened it.

Starlette runs the lifespan in one task and every request in another, each
with its own copy of the context variables, so the context the lifespan opened
is not visible to requests by itself. Tortoise offers a process-wide fallback
for this; binding explicitly per connection instead keeps two apps in one
process (tests, tools) apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tortoise.context import TortoiseContext

from orm.compat_tortoise import current_context


@contextmanager
def bound(ctx: TortoiseContext) -> Iterator[None]:
    # Not `with ctx:`: TortoiseContext keeps one reset token on itself, which
    # concurrent requests sharing the context would overwrite.
    token = current_context.set(ctx)
    try:
        yield
    finally:
        current_context.reset(token)
