"""The message catalogue: every marked text has its German, and German readers get it.

Texts are extracted from the code with Babel's own extraction (the keywords
of `resolvers.catalogue`); the German catalogue must hold each of them,
translated, not fuzzy, with the same placeholders, and nothing else. Over
HTTP and WebSocket alike, `Accept-Language: de` gives German error messages,
`fieldErrors` and reason details, and without the header the viewer's own
locale decides; the codes, criteria and field names never change.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from starlette.testclient import TestClient

from app import create_app
from resolvers.catalogue import catalogue_path, translations
from resolvers.language import Language
from tests.catalogue_support import extracted
from tests.discovery.support import mentee, mentor
from tests.discovery.test_suggestions import MENTEE, MENTOR
from tests.support import Client, client_operations, register_sync, settings_for

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def german() -> Any:
    with catalogue_path(Language.DE).open("rb") as po:
        return read_po(po, locale="de")


def _forms(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def test_every_marked_text_is_translated_into_german() -> None:
    catalogue = german()
    marked = [message for message in extracted() if message.id]
    assert len(marked) > 100, "the extraction found the texts"

    problems = []
    for message in marked:
        entry = catalogue.get(message.id)
        where = message.locations[0]
        if entry is None:
            problems.append(f"missing: {message.id!r} ({where})")
            continue
        if entry.fuzzy or not all(_forms(entry.string)):
            problems.append(f"untranslated or fuzzy: {message.id!r} ({where})")
            continue
        wanted = set(PLACEHOLDER.findall(" ".join(_forms(message.id))))
        for form in _forms(entry.string):
            if set(PLACEHOLDER.findall(form)) != wanted:
                problems.append(f"placeholders differ: {form!r} for {message.id!r}")
    assert not problems, "\n".join(problems)


def test_the_german_catalogue_holds_nothing_the_code_no_longer_says() -> None:
    marked = {message.id for message in extracted() if message.id}
    stale = [entry.id for entry in german() if entry.id and entry.id not in marked]
    assert not stale


def test_the_catalogue_compiles_at_run_time() -> None:
    assert translations(Language.DE).gettext("Leadership") == "Führung"
    assert translations(Language.EN).gettext("Leadership") == "Leadership"


BAD_PROFILE = {"country": "XX", "languages": ["zz"], "timezone": "Mars/Olympus"}
GERMAN_FIELD_ERRORS = {
    "country": "„XX“ ist kein Ländercode nach ISO 3166-1 alpha-2.",
    "languages[0]": "„zz“ ist kein Sprachcode nach ISO 639-1.",
    "timezone": "„Mars/Olympus“ ist kein Zeitzonenname der IANA.",
}
ENGLISH_FIELD_ERRORS = {
    "country": "'XX' is not an ISO 3166-1 alpha-2 country code.",
    "languages[0]": "'zz' is not an ISO 639-1 language code.",
    "timezone": "'Mars/Olympus' is not an IANA time zone name.",
}


async def send(
    client: Client, name: str, variables: dict[str, Any], language: str | None = None
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {client.token}"}
    if language is not None:
        headers["accept-language"] = language
    payload = {"query": client_operations()[name], "variables": variables}
    reply = await client.http.post("/graphql", json=payload, headers=headers)
    body: dict[str, Any] = reply.json()
    return body


def field_errors(body: dict[str, Any]) -> dict[str, str]:
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    return {each["field"]: each["message"] for each in error["extensions"]["fieldErrors"]}


async def test_german_readers_get_german_errors_and_field_errors(anon: Client) -> None:
    client = await anon.register("leser@example.org", "Lea Leserin")
    variables = {"input": BAD_PROFILE}

    german_body = await send(client, "SaveMenteeProfile", variables, "de-DE,de;q=0.9,en;q=0.5")
    english_body = await send(client, "SaveMenteeProfile", variables)

    assert field_errors(german_body) == GERMAN_FIELD_ERRORS
    assert field_errors(english_body) == ENGLISH_FIELD_ERRORS
    [german_error], [english_error] = german_body["errors"], english_body["errors"]
    assert german_error["message"].startswith("country: „XX“ ist kein Ländercode")
    assert german_error["extensions"]["field"] == english_error["extensions"]["field"]
    # A refusal of another kind: the code stays, the words change.
    refused = await send(client, "MentorSuggestions", {}, "de")
    assert refused["errors"][0]["extensions"]["code"] == "PROFILE_INCOMPLETE"
    assert refused["errors"][0]["message"] == (
        "Bitte vervollständigen Sie Ihr Mentee-Profil, um Vorschläge zu erhalten."
    )
    unauthenticated = await anon.http.post(
        "/graphql",
        json={"query": client_operations()["MentorSuggestions"]},
        headers={"accept-language": "de"},
    )
    [error] = unauthenticated.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["message"] == "Bitte melden Sie sich dafür an."


async def test_reason_details_follow_the_language_and_nothing_else_does(anon: Client) -> None:
    viewer = await mentee(anon, **MENTEE)
    await mentor(anon, "Casey Canada", **MENTOR)

    english = (await send(viewer, "MentorSuggestions", {}))["data"]["mentorSuggestions"]
    german_reply = await send(viewer, "MentorSuggestions", {}, "de")
    german = german_reply["data"]["mentorSuggestions"]

    assert [(r["criterion"], r["points"]) for r in german[0]["reasons"]] == [
        (r["criterion"], r["points"]) for r in english[0]["reasons"]
    ]
    details = {r["criterion"]: r["detail"] for r in german[0]["reasons"]}
    assert details == {
        "TOPICS": "Deckt 2 Ihrer 3 Themen ab: Karriereplanung, Networking",
        "LANGUAGES": "Spricht Ihre Sprache: Englisch",
        "INDUSTRY": "Arbeitet in Ihrer Branche: software",
        "FIELD_OF_STUDY": "Hat Ihr Fach studiert: Physics",
        "EXPERIENCE": "12 Jahre mehr Berufserfahrung als Sie",
        "SITUATION": "Bietet Interkulturelle Kommunikation an \u2013 das hilft bei Ihrem Umzug "
        "in ein anderes Land",
        "LOCATION": "Wohnort: Kanada, Ihr künftiges Zielland",
        "TIME_ZONE": "Zeitverschiebung zu Ihnen: 1 h (Europe/London)",
        "CAPACITY": "Hat 2 freie Plätze",
        "RESPONSIVENESS": "Noch keine Erfahrungswerte zu Antworten: als durchschnittlich gewertet",
    }


async def test_the_viewers_locale_applies_without_the_header(anon: Client) -> None:
    client = await anon.register("locale@example.org", "Lou Locale")
    await client.op("UpdateAccount", input={"locale": "DE"})
    variables = {"input": BAD_PROFILE}

    assert field_errors(await send(client, "SaveMenteeProfile", variables)) == GERMAN_FIELD_ERRORS
    # The header, where it names one of the two, still decides.
    in_english = await send(client, "SaveMenteeProfile", variables, "en")
    assert field_errors(in_english) == ENGLISH_FIELD_ERRORS
    in_french = await send(client, "SaveMenteeProfile", variables, "fr")
    assert field_errors(in_french) == GERMAN_FIELD_ERRORS
    topics = await send(client, "Topics", {})
    assert topics["data"]["topics"][3]["label"] == "Führung"


def _socket_errors(
    http: TestClient, token: str, language: str | None, query: str, variables: dict[str, Any]
) -> list[dict[str, Any]]:
    headers = {"accept-language": language} if language else {}
    with http.websocket_connect(
        "/graphql", subprotocols=["graphql-transport-ws"], headers=headers
    ) as socket:
        socket.send_json(
            {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        )
        assert socket.receive_json() == {"type": "connection_ack"}
        socket.send_json(
            {"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )
        reply = socket.receive_json()
    errors: list[dict[str, Any]] = reply["payload"]["errors"]
    return errors


def test_over_websocket_the_handshake_and_the_locale_decide(tmp_path: Path) -> None:
    save = client_operations()["SaveMenteeProfile"]
    suggestions = client_operations()["MentorSuggestions"]
    with TestClient(create_app(settings_for(tmp_path))) as http:
        token = register_sync(http, "socket@example.org")

        [german] = _socket_errors(http, token, "de", save, {"input": BAD_PROFILE})
        [english] = _socket_errors(http, token, None, save, {"input": BAD_PROFILE})
        [incomplete] = _socket_errors(http, token, "de", suggestions, {})

        assert german["extensions"]["code"] == english["extensions"]["code"] == "BAD_USER_INPUT"
        fields = {e["field"]: e["message"] for e in german["extensions"]["fieldErrors"]}
        assert fields == GERMAN_FIELD_ERRORS
        assert english["extensions"]["fieldErrors"][0]["message"] == ENGLISH_FIELD_ERRORS["country"]
        assert incomplete["extensions"]["code"] == "PROFILE_INCOMPLETE"
        assert incomplete["message"].startswith("Bitte vervollständigen Sie Ihr Mentee-Profil")

        account = client_operations()["UpdateAccount"]
        headers = {"authorization": f"Bearer {token}"}
        http.post(
            "/graphql",
            json={"query": account, "variables": {"input": {"locale": "DE"}}},
            headers=headers,
        )
        [by_locale] = _socket_errors(http, token, None, save, {"input": BAD_PROFILE})
        fields = {e["field"]: e["message"] for e in by_locale["extensions"]["fieldErrors"]}
        assert fields == GERMAN_FIELD_ERRORS


def test_an_unread_header_is_no_reason_to_fail(tmp_path: Path) -> None:
    with TestClient(create_app(settings_for(tmp_path))) as http:
        reply = http.post(
            "/graphql",
            json={"query": "{ topics { label } }"},
            headers={"accept-language": ";;;,q=,de-;q=2,"},
        )
    assert reply.status_code == 200
    assert "errors" not in reply.json()
