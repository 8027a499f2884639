"""Property-based tests over the inputs: any text is stored exactly or refused, never a 5xx.

Unicode, NUL and other control characters, markup and SQL-looking strings go
through register, login and both profile saves. An accepted value reads back
exactly (trimmed; blank clears the field); a refused one is BAD_USER_INPUT
naming its field, and changes nothing. Bounded and derandomized for CI.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.support import client_operations, register_sync, unlimited_app

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    # The app is shared by the examples on purpose: starting one per example
    # would cost seconds; each property only compares before and after.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE = [
    "<script>alert(1)</script>",
    "'; DROP TABLE user; --",
    "Robert'); DROP TABLE mentor_profile;--",
    '" OR 1=1 --',
    "%s %d {0} ${x} {{x}}",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "zero\u200bwidth",
    "Zoë Ñandú 李小龙 مرحبا 🧑‍💻",
    "\U0001f4a9" * 50,
    "\\u0000",
    "line\nbreak",
    "   ",
    "",
]
TEXT = st.sampled_from(HOSTILE) | st.text(max_size=150)


@pytest.fixture(scope="module")
def database_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


@pytest.fixture(scope="module")
def http(database_file: Path) -> Iterator[TestClient]:
    with unlimited_app(database_file) as client:
        yield client


@pytest.fixture(scope="module")
def token(http: TestClient) -> str:
    return register_sync(http, "owner@example.org")


def count_users(database_file: Path) -> int:
    with sqlite3.connect(database_file / "data" / "test.sqlite3") as connection:
        count: int = connection.execute("SELECT COUNT(*) FROM user").fetchone()[0]
        return count


def op(http: TestClient, name: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    reply = http.post(
        "/graphql",
        json={"query": client_operations()[name], "variables": variables},
        headers=headers,
    )
    assert reply.status_code < 500, reply.text
    body: dict[str, Any] = reply.json()
    return body


def refusal(body: dict[str, Any]) -> dict[str, Any] | None:
    errors = body.get("errors")
    if not errors:
        return None
    extensions: dict[str, Any] = errors[0]["extensions"]
    return extensions


@PROPERTY_SETTINGS
@given(
    email=st.emails() | TEXT,
    password=TEXT | st.text(min_size=8, max_size=40),
    name=TEXT,
)
def test_register_stores_exactly_or_refuses_and_stores_nothing(
    http: TestClient, database_file: Path, email: str, password: str, name: str
) -> None:
    before = count_users(database_file)

    body = op(http, "Register", input={"email": email, "password": password, "displayName": name})

    refused = refusal(body)
    if refused is None:
        user = body["data"]["register"]["user"]
        assert user["displayName"] == name.strip()
        signed_in = op(http, "Login", email=user["email"], password=password)
        assert refusal(signed_in) is None
        assert count_users(database_file) == before + 1
    else:
        assert refused["code"] in ("BAD_USER_INPUT", "CONFLICT")
        assert refused["field"] in ("email", "password", "displayName")
        assert count_users(database_file) == before


@pytest.fixture(scope="module")
def no_accounts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with unlimited_app(tmp_path_factory.mktemp("no-accounts")) as client:
        yield client


@PROPERTY_SETTINGS
@given(email=st.emails() | TEXT, password=TEXT)
def test_login_with_anything_is_refused_as_unauthenticated(
    no_accounts: TestClient, email: str, password: str
) -> None:
    body = op(no_accounts, "Login", email=email, password=password)

    assert refusal(body) == {"code": "UNAUTHENTICATED"}


MENTOR_TEXT_FIELDS = ["headline", "bio", "city", "industry", "fieldOfStudy"]
MENTEE_TEXT_FIELDS = ["headline", "bio", "city", "goals"]
CODE_FIELDS = ["country", "timezone"]


def read_back(http: TestClient, token: str, operation: str, field: str) -> Any:
    # An empty save returns the profile as stored, without changing it.
    body = op(http, operation, token, input={})
    return body["data"][operation[0].lower() + operation[1:]][field]


@pytest.mark.parametrize(
    ("operation", "fields"),
    [
        ("SaveMentorProfile", MENTOR_TEXT_FIELDS + CODE_FIELDS),
        ("SaveMenteeProfile", [*MENTEE_TEXT_FIELDS, *CODE_FIELDS, "targetCountry"]),
    ],
)
def test_profile_text_is_stored_exactly_or_refused_without_change(
    http: TestClient, token: str, operation: str, fields: list[str]
) -> None:
    @PROPERTY_SETTINGS
    @given(field=st.sampled_from(fields), value=TEXT)
    def saving(field: str, value: str) -> None:
        before = read_back(http, token, operation, field)

        body = op(http, operation, token, input={field: value})

        refused = refusal(body)
        after = read_back(http, token, operation, field)
        if refused is None:
            stored = body["data"][operation[0].lower() + operation[1:]][field]
            assert stored == after
            if field in MENTOR_TEXT_FIELDS + MENTEE_TEXT_FIELDS:
                assert stored == (value.strip() or None)
        else:
            assert (refused["code"], refused["field"]) == ("BAD_USER_INPUT", field)
            assert [each["field"] for each in refused["fieldErrors"]] == [field]
            assert after == before

    saving()


@PROPERTY_SETTINGS
@given(
    languages=st.lists(TEXT | st.sampled_from(["de", "EN", " fr "]), max_size=12),
    years=st.integers(min_value=-(2**31), max_value=2**31 - 1),
    capacity=st.integers(min_value=-(2**31), max_value=2**31 - 1),
)
def test_lists_and_numbers_are_stored_normalised_or_refused_by_field(
    http: TestClient, token: str, languages: list[str], years: int, capacity: int
) -> None:
    body = op(
        http,
        "SaveMentorProfile",
        token,
        input={"languages": languages, "yearsOfExperience": years, "capacity": capacity},
    )

    refused = refusal(body)
    if refused is None:
        saved = body["data"]["saveMentorProfile"]
        assert saved["languages"] == list(dict.fromkeys(v.strip().lower() for v in languages))
        assert (saved["yearsOfExperience"], saved["capacity"]) == (years, capacity)
    else:
        assert refused["code"] == "BAD_USER_INPUT"
        assert refused["field"].split("[")[0] in ("languages", "yearsOfExperience", "capacity")


@PROPERTY_SETTINGS
@given(mentor_id=TEXT | st.integers().map(str))
def test_any_malformed_or_unknown_mentor_id_is_not_found(http: TestClient, mentor_id: str) -> None:
    body = op(http, "MentorProfile", id=mentor_id)

    assert refusal(body) == {"code": "NOT_FOUND"}
