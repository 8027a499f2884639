"""Accounts over HTTP: register, login, logout, viewer, as a client sees them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from app import Settings
from orm.models import Session, User
from resolvers.tokens import TokenClaims, TokenIssuer
from tests.clock import FakeClock
from tests.support import Client

VIEWER = "{ viewer { id email displayName } }"


async def test_register_returns_a_token_that_identifies_the_new_user(anon: Client) -> None:
    reply = await anon.op(
        "Register",
        input={"email": "Ada@Example.org", "password": "s3cret-pass", "displayName": " Ada "},
    )

    registered = reply.data["register"]
    assert registered["user"]["email"] == "ada@example.org"
    assert registered["user"]["displayName"] == "Ada"
    me = anon.signed_in(registered["token"], registered["user"]["id"])
    assert (await me.query(VIEWER)).data["viewer"] == registered["user"]


async def test_password_is_stored_only_as_an_argon2_hash(anon: Client) -> None:
    await anon.register("hash@example.org", password="plain-text-pw")

    user = await User.get(email="hash@example.org")
    assert user.password_hash.startswith("$argon2id$")
    assert "plain-text-pw" not in user.password_hash


async def test_login_with_the_right_password_signs_in(anon: Client) -> None:
    await anon.register("login@example.org", password="right-password")

    reply = await anon.op("Login", email="LOGIN@example.org", password="right-password")

    assert reply.data["login"]["user"]["email"] == "login@example.org"
    assert reply.data["login"]["token"]


@pytest.mark.parametrize(
    ("email", "password"),
    [("login2@example.org", "wrong-password"), ("nobody@example.org", "right-password")],
)
async def test_login_failure_does_not_say_which_part_was_wrong(
    anon: Client, email: str, password: str
) -> None:
    await anon.register("login2@example.org", password="right-password")

    reply = await anon.op("Login", email=email, password=password)

    assert reply.code == "UNAUTHENTICATED"
    assert reply.errors[0]["message"] == "Wrong e-mail address or password."


async def test_a_second_account_with_the_same_email_is_a_conflict(anon: Client) -> None:
    await anon.register("twice@example.org")

    reply = await anon.op(
        "Register",
        input={"email": "TWICE@example.org", "password": "another-pw", "displayName": "X"},
    )

    assert reply.code == "CONFLICT"
    assert reply.error_field == "email"
    assert await User.filter(email="twice@example.org").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-address"),
        ("email", "a@b"),
        ("password", "short"),
        ("password", "x" * 129),
        ("displayName", "   "),
        ("displayName", "x" * 101),
        ("displayName", "bad\x00name"),
    ],
)
async def test_bad_registration_input_names_the_field_and_stores_nothing(
    anon: Client, field: str, value: str
) -> None:
    values = {"email": "valid@example.org", "password": "long-enough", "displayName": "Val"}

    reply = await anon.op("Register", input={**values, field: value})

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == field
    assert await User.all().count() == 0


async def test_a_registration_form_learns_every_bad_field_at_once(anon: Client) -> None:
    sent = {"email": "not an address", "password": "short", "displayName": "Val"}

    reply = await anon.op("Register", input=sent)

    assert reply.code == "BAD_USER_INPUT"
    assert reply.error_field == "email"
    assert list(reply.field_errors) == ["email", "password"]
    assert await User.all().count() == 0


async def test_viewer_is_null_without_a_token(anon: Client) -> None:
    assert (await anon.query(VIEWER)).data == {"viewer": None}


@pytest.mark.parametrize(
    "authorization",
    ["Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer ", "garbage"],
)
async def test_malformed_tokens_are_treated_as_anonymous(anon: Client, authorization: str) -> None:
    reply = await anon.http.post(
        "/graphql", json={"query": VIEWER}, headers={"authorization": authorization}
    )

    assert reply.json() == {"data": {"viewer": None}}


async def test_a_token_signed_with_another_key_is_refused(user: Client) -> None:
    assert user.token is not None
    claims = jwt.decode(user.token, options={"verify_signature": False})
    forged = jwt.encode(claims, "some-other-secret-key-of-sufficient-length", algorithm="HS256")

    reply = await user.signed_in(forged, user.user_id or "").query(VIEWER)

    assert reply.data == {"viewer": None}


async def test_a_session_past_its_expiry_is_refused(user: Client) -> None:
    await Session.all().update(expires_at=datetime.now(UTC) - timedelta(seconds=1))

    assert (await user.query(VIEWER)).data == {"viewer": None}


async def test_a_token_past_its_exp_claim_is_refused(user: Client, settings: Settings) -> None:
    assert user.token is not None
    assert settings.secret_key is not None
    claims = jwt.decode(user.token, options={"verify_signature": False})
    expired = jwt.encode({**claims, "exp": 1}, settings.secret_key, algorithm="HS256")

    assert (await user.signed_in(expired, "").query(VIEWER)).data == {"viewer": None}


async def test_logout_revokes_that_token_at_once_and_only_that_token(anon: Client) -> None:
    first = await anon.register("two-devices@example.org", password="same-password")
    second_login = (
        await anon.op("Login", email="two-devices@example.org", password="same-password")
    ).data["login"]
    second = anon.signed_in(second_login["token"], second_login["user"]["id"])

    assert (await first.op("Logout")).data == {"logout": True}

    assert (await first.query(VIEWER)).data == {"viewer": None}
    assert (await first.op("Logout")).code == "UNAUTHENTICATED"
    assert (await second.query(VIEWER)).data["viewer"]["email"] == "two-devices@example.org"


async def test_logout_needs_a_signed_in_user(anon: Client) -> None:
    assert (await anon.op("Logout")).code == "UNAUTHENTICATED"


async def test_viewer_lists_no_profiles_before_they_exist(user: Client) -> None:
    reply = await user.op("Viewer")

    assert reply.data["viewer"]["mentorProfile"] is None
    assert reply.data["viewer"]["menteeProfile"] is None


def test_a_remembered_token_is_refused_once_its_exp_claim_passes() -> None:
    clock = FakeClock()
    issuer = TokenIssuer("a-secret-key-that-is-long-enough-for-hs256", clock=clock)
    expires = clock.now + timedelta(minutes=5)
    token = jwt.encode(
        {"sub": "7", "sid": "s", "exp": int(expires.timestamp())},
        "a-secret-key-that-is-long-enough-for-hs256",
        algorithm="HS256",
    )
    assert issuer.decode(token) == TokenClaims(session_id="s", user_id=7)  # verified, kept

    clock.advance(minutes=5)  # the issuer's clock, not the wall clock, decides

    assert issuer.decode(token) is None
