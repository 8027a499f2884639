"""The texts people read about topics, per language: a label and a description each.

The English texts are in `orm.vocabulary` (where the seed and the
suggestion reasons read them too), marked there for the message catalogue;
the other languages are in the catalogue (`resolvers.catalogue`). A topic
added to `Topic` needs its texts in every language: the catalogue's test
checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from orm.vocabulary import TOPIC_DESCRIPTIONS, TOPIC_LABELS, Topic
from resolvers.catalogue import Text
from resolvers.language import Language


@dataclass(frozen=True)
class TopicText:
    label: str
    description: str


def label(topic: Topic) -> Text:
    """The topic's label, to be rendered in the reader's language."""
    return Text(TOPIC_LABELS[topic])


def topics(language: Language) -> list[tuple[Topic, TopicText]]:
    """Every topic, in the enum's order, with its texts in `language`."""
    return [
        (
            topic,
            TopicText(
                label(topic).in_language(language),
                Text(TOPIC_DESCRIPTIONS[topic]).in_language(language),
            ),
        )
        for topic in Topic
    ]
