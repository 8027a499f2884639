"""`topics`: every Topic with its label and description, in the request's language."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from app import create_app
from orm.vocabulary import Topic
from resolvers.language import Language, negotiate
from resolvers.topics import topics as topic_texts
from tests.support import Client, client_operations, running, settings_for

TOPICS = client_operations()["Topics"]


async def topics(client: Client, accept_language: str | None = None) -> list[dict[str, str]]:
    headers = {"accept-language": accept_language} if accept_language is not None else {}
    reply = await client.http.post("/graphql", json={"query": TOPICS}, headers=headers)
    body = reply.json()
    assert "errors" not in body, body
    listed: list[dict[str, str]] = body["data"]["topics"]
    return listed


async def test_topics_list_every_topic_in_english_by_default(anon: Client) -> None:
    listed = await topics(anon)

    assert [topic["value"] for topic in listed] == [topic.value for topic in Topic]
    assert listed[0] == {
        "value": "CAREER_PLANNING",
        "label": "Career planning",
        "description": "Finding a direction: goals, options, next steps.",
    }


@pytest.mark.parametrize("header", ["de", "de-DE", "de-AT,en;q=0.8", "fr, de;q=0.5, en;q=0.4"])
async def test_a_client_preferring_german_reads_german(anon: Client, header: str) -> None:
    listed = await topics(anon, header)

    assert listed[0]["label"] == "Karriereplanung"
    assert [topic["value"] for topic in listed] == [topic.value for topic in Topic]


@pytest.mark.parametrize("header", ["en", "en-GB,de;q=0.9", "fr", "*", "", "de;q=0", "de;q=x"])
async def test_anything_else_reads_english(anon: Client, header: str) -> None:
    assert (await topics(anon, header))[0]["label"] == "Career planning"


async def test_topics_work_with_introspection_switched_off(tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path, introspection=False))
    async with (
        running(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as http,
    ):
        client = Client(http=http)
        listed = await topics(client, "de")
        introspection = await client.query('{ __type(name: "Topic") { name } }')

    assert listed[-1]["label"] == "Networking"
    assert introspection.errors


def test_every_topic_has_its_texts_in_every_language() -> None:
    english = dict(topic_texts(Language.EN))
    german = dict(topic_texts(Language.DE))
    assert list(german) == list(english) == list(Topic)
    # Every German text is the catalogue's (tests/test_catalogue.py checks it
    # holds them all); these differ from the English ones.
    assert german[Topic.LEADERSHIP].label == "Führung"
    assert all(german[topic].description != english[topic].description for topic in Topic)


def test_the_header_decides_and_the_fallback_follows() -> None:
    assert negotiate("en;q=0.5, de;q=0.9") is Language.DE
    assert negotiate("EN") is Language.EN
    assert negotiate(None, Language.DE) is Language.DE
    assert negotiate("fr", Language.DE) is Language.DE
    assert negotiate(None) is Language.EN
