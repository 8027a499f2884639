"""Global object identification: the `Node` interface every type with an id implements.

Hand-written rather than Strawberry's `relay.Node`: its `id` is a field with
a resolver, which took Strawberry's executor twice the function calls per
object of a plain attribute, and misses the short path on which
`schema.core.executor` reads plain attributes (a conversation page holds 50
messages and their senders). Here each type computes its global id once,
when it is built (`resolvers.ids.global_id`), and the field reads an
attribute.
"""

from __future__ import annotations

import strawberry

ID_DESCRIPTION = (
    "Opaque and unique across all types: pass it to `node` to read the object again. "
    "Do not parse it."
)


@strawberry.interface(
    description="An object with a global id: `node(id)` and `nodes(ids)` read it again."
)
class Node:
    id: strawberry.ID = strawberry.field(description=ID_DESCRIPTION)
