"""`topics`: every Topic with its label and description, in the request's language.

An ordinary field, so that clients read the labels with introspection
switched off (as production runs); the texts are in `resolvers.topics`.
"""

from __future__ import annotations

import strawberry

from resolvers import topics
from schema.core.context import Info
from schema.core.language import request_language
from schema.enums import Topic


@strawberry.type(
    description="A topic as people read it, in the request's language: a value without "
    "identity of its own (no id)."
)
class TopicLabel:
    value: Topic = strawberry.field(description="What inputs and filters take.")
    label: str = strawberry.field(description="A short name, e.g. 'Career planning'.")
    description: str = strawberry.field(description="One sentence on what it covers.")


async def resolve_topics(info: Info) -> list[TopicLabel]:
    language = await request_language(info.context)
    return [
        TopicLabel(value=topic, label=text.label, description=text.description)
        for topic, text in topics.topics(language)
    ]


@strawberry.type
class TopicQueries:
    topics: list[TopicLabel] = strawberry.field(
        resolver=resolve_topics,
        description="Every topic, in a stable order, labelled in the request's language "
        "(Accept-Language: de or en; else the viewer's locale; else English).",
    )
