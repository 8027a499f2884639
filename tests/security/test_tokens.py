"""Bearer tokens of any length: an over-long one is no token, and nothing remembers it.

The issuer remembers verified tokens; it did so by the raw bearer text, of
any length, so distinct megabyte-long values each stayed in memory.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import jwt
import pytest
from starlette.applications import Starlette

from app import Settings
from resolvers.tokens import MAX_TOKEN_LENGTH, VERIFIED_TOKENS_KEPT, TokenIssuer
from tests.live import LiveServer, connect, serve
from tests.support import Client, NoRateLimits, settings_for

SECRET = "a-secret-key-that-is-long-enough-for-hs256"
VIEWER = "{ viewer { id } }"
MIB = 1024 * 1024


def padded(token: str, secret: str, length: int) -> str:
    """The same claims, well signed, grown to about `length` characters."""
    claims = jwt.decode(token, options={"verify_signature": False})
    grown = jwt.encode({**claims, "pad": "x" * length}, secret, algorithm="HS256")
    assert len(grown) > length
    return grown


def issuer_of(app: Starlette) -> TokenIssuer:
    tokens: TokenIssuer = app.state.services.tokens
    return tokens


# Under the 16 KB cap on a request's headers, which refuses longer ones first.
@pytest.mark.parametrize("length", [5 * 1024, 8 * 1024])
async def test_a_well_signed_but_over_long_token_is_no_token(
    app: Starlette, user: Client, settings: Settings, length: int
) -> None:
    assert user.token is not None
    assert settings.secret_key is not None
    assert (await user.query(VIEWER)).data == {"viewer": {"id": user.user_id}}
    long_token = padded(user.token, settings.secret_key, length)
    remembered = issuer_of(app).remembered()

    bearer = user.signed_in(long_token, user.user_id or "")

    assert (await bearer.query(VIEWER)).data == {"viewer": None}
    assert (await bearer.op("Logout")).code == "UNAUTHENTICATED"
    assert issuer_of(app).remembered() == remembered
    assert (await user.query(VIEWER)).data == {"viewer": {"id": user.user_id}}


async def test_a_megabyte_in_the_header_never_reaches_the_issuer(
    app: Starlette, anon: Client
) -> None:
    reply = await anon.http.post(
        "/graphql", json={"query": VIEWER}, headers={"authorization": "Bearer " + "a" * MIB}
    )

    assert reply.status_code == 431
    assert issuer_of(app).remembered() == 0


def test_long_tokens_leave_nothing_behind_in_the_issuer() -> None:
    issuer = TokenIssuer(SECRET)
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        for index in range(20):
            assert issuer.decode(f"{index:08d}" + "t" * MIB) is None
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert after - before < MIB  # twenty distinct megabyte tokens were 20 MiB kept


def test_the_cache_holds_a_bounded_number_of_bounded_entries() -> None:
    issuer = TokenIssuer(SECRET)
    for index in range(VERIFIED_TOKENS_KEPT + 100):
        issuer.decode(f"not-a-token-{index}-" + "z" * (MAX_TOKEN_LENGTH - 40))

    assert issuer.remembered() == VERIFIED_TOKENS_KEPT


def test_a_token_at_the_cap_is_still_read() -> None:
    issuer = TokenIssuer(SECRET)
    claims = {"sub": "7", "sid": "s", "exp": 4_000_000_000}
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    at_cap = padded(token, SECRET, MAX_TOKEN_LENGTH * 3 // 4 - 200)  # base64 grows it by 4/3
    assert MAX_TOKEN_LENGTH - 300 < len(at_cap) <= MAX_TOKEN_LENGTH

    assert issuer.decode(at_cap) is not None
    assert issuer.decode(padded(token, SECRET, MAX_TOKEN_LENGTH)) is None


# ---------------------------------------------------------------- connection_init


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[LiveServer]:
    async with serve(settings_for(tmp_path, rate_limiter=NoRateLimits())) as running:
        yield running


async def test_an_over_long_token_in_connection_init_is_no_token(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.http_url) as http:
        user = await Client(http=http).register("long-init@example.org")
    assert user.token is not None
    secret = server.app.state.settings.secret_key
    tokens: TokenIssuer = server.app.state.services.tokens
    long_token = padded(user.token, secret, 8 * 1024)
    remembered = tokens.remembered()

    async with connect(server, long_token) as socket:
        await socket.send({"id": "q", "type": "subscribe", "payload": {"query": VIEWER}})
        assert await socket.next_data("q") == {"viewer": None}
        assert await socket.receive() == {"id": "q", "type": "complete"}
        await socket.subscribe("s", "ViewerEvents")
        assert await socket.close_code() == 4403

    assert tokens.remembered() == remembered
    async with connect(server, user.token) as socket:
        await socket.send({"id": "q", "type": "subscribe", "payload": {"query": VIEWER}})
        assert await socket.next_data("q") == {"viewer": {"id": user.user_id}}
