"""The texts people read about topics, per language: a label and a description each.

English comes from `orm.vocabulary` (where the seed and the suggestion
reasons read it too); the other languages are here. A topic added to
`Topic` needs its texts in every language: `tests/test_topics.py` checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from orm.vocabulary import TOPIC_DESCRIPTIONS, TOPIC_LABELS, Topic
from resolvers.language import Language


@dataclass(frozen=True)
class TopicText:
    label: str
    description: str


TOPIC_TEXTS: dict[Language, dict[Topic, TopicText]] = {
    Language.EN: {
        topic: TopicText(TOPIC_LABELS[topic], TOPIC_DESCRIPTIONS[topic]) for topic in TOPIC_LABELS
    },
    Language.DE: {
        Topic.CAREER_PLANNING: TopicText(
            "Karriereplanung", "Eine Richtung finden: Ziele, Möglichkeiten, nächste Schritte."
        ),
        Topic.APPLICATION_STRATEGY: TopicText(
            "Bewerbungsstrategie",
            "Lebenslauf, Anschreiben, Vorstellungsgespräche, Verhandeln von Angeboten.",
        ),
        Topic.SOFT_SKILLS: TopicText(
            "Soft Skills", "Kommunizieren, Präsentieren, mit Konflikten umgehen."
        ),
        Topic.LEADERSHIP: TopicText(
            "Führung", "Menschen und Projekte führen, die erste Führungsrolle."
        ),
        Topic.INTERCULTURAL_COMMUNICATION: TopicText(
            "Interkulturelle Kommunikation", "Über Kulturen und Ländergrenzen hinweg arbeiten."
        ),
        Topic.SUBJECT_EXPERTISE: TopicText(
            "Fachwissen", "Know-how aus dem eigenen Fachgebiet der Mentorin oder des Mentors."
        ),
        Topic.SELF_MARKETING: TopicText(
            "Selbstmarketing", "Sichtbarkeit, persönliche Marke, die eigenen Stärken zeigen."
        ),
        Topic.NETWORKING: TopicText("Networking", "Berufliche Kontakte knüpfen und nutzen."),
    },
}


def topics(language: Language) -> list[tuple[Topic, TopicText]]:
    """Every topic, in the enum's order, with its texts in `language`."""
    texts = TOPIC_TEXTS[language]
    return [(topic, texts[topic]) for topic in Topic]
