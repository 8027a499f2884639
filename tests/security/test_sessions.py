"""Ending sessions: change the password, sign out everywhere, and tokens that expire.

There was no way to end a stolen session, and a live socket outlived the
expiry of the token it was opened with.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from orm.binding import bound
from orm.models import User
from resolvers import accounts, streams
from resolvers.tokens import TokenIssuer
from tests.live import PATIENCE, LiveServer, Socket, connect, serve
from tests.support import Client, NoRateLimits, settings_for

PASSWORD = "the old password"
NEW_PASSWORD = "a brand new password"
VIEWER = "{ viewer { id } }"


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[LiveServer]:
    async with serve(settings_for(tmp_path, rate_limiter=NoRateLimits())) as running:
        yield running


@pytest.fixture
async def anon(server: LiveServer) -> AsyncIterator[Client]:
    async with httpx.AsyncClient(base_url=server.http_url) as http:
        yield Client(http=http)


async def sign_in(anon: Client, email: str, password: str = PASSWORD) -> Client:
    login = (await anon.op("Login", email=email, password=password)).data["login"]
    return anon.signed_in(login["token"], login["user"]["id"])


async def viewer_id(client: Client) -> str | None:
    viewer = (await client.query(VIEWER)).data["viewer"]
    return viewer["id"] if viewer else None


async def until_listening(server: LiveServer, count: int) -> None:
    for _ in range(1000):
        if server.hub.listener_count() >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{server.hub.listener_count()} listeners, expected {count}")


async def closing(socket: Socket) -> tuple[int | None, str | None]:
    """Wait for the server to close the socket: its code and reason."""
    while True:
        try:
            message = await asyncio.wait_for(socket.connection.recv(), PATIENCE)
        except ConnectionClosed as closed:
            return (closed.rcvd.code, closed.rcvd.reason) if closed.rcvd else (None, None)
        assert '"ping"' in str(message), f"expected a close, got {message!r}"
        await socket.send({"type": "pong"})


async def test_changing_the_password_ends_every_session_and_goes_on_in_a_new_one(
    server: LiveServer, anon: Client
) -> None:
    here = await anon.register("changer@example.org", password=PASSWORD)
    stolen = await sign_in(anon, "changer@example.org")
    async with connect(server, stolen.token) as socket:
        await socket.subscribe("e", "ViewerEvents")
        await until_listening(server, 2)  # user + session channels

        changed = await here.op(
            "ChangePassword", currentPassword=PASSWORD, newPassword=NEW_PASSWORD
        )
        closed = await closing(socket)

    payload = changed.data["changePassword"]
    assert payload["user"] == {"id": here.user_id}
    assert closed[0] == 4403
    assert await viewer_id(stolen) is None
    assert (await stolen.op("Logout")).code == "UNAUTHENTICATED"
    assert await viewer_id(here.signed_in(payload["token"], "")) == here.user_id
    # The caller goes on under the fresh token; a copy of the one it sent is worthless.
    assert await viewer_id(here) is None
    assert (await anon.op("Login", email="changer@example.org", password=PASSWORD)).code == (
        "UNAUTHENTICATED"
    )
    assert await viewer_id(await sign_in(anon, "changer@example.org", NEW_PASSWORD))


async def test_changing_the_password_needs_the_current_one_and_a_valid_new_one(
    anon: Client,
) -> None:
    here = await anon.register("careful@example.org", password=PASSWORD)
    other = await sign_in(anon, "careful@example.org")

    wrong = await here.op("ChangePassword", currentPassword="not it", newPassword=NEW_PASSWORD)
    short = await here.op("ChangePassword", currentPassword=PASSWORD, newPassword="short")
    anonymous = await anon.op("ChangePassword", currentPassword=PASSWORD, newPassword=NEW_PASSWORD)

    assert (wrong.code, wrong.error_field) == ("BAD_USER_INPUT", "currentPassword")
    assert (short.code, short.error_field) == ("BAD_USER_INPUT", "newPassword")
    assert anonymous.code == "UNAUTHENTICATED"
    # Nothing changed: the old password signs in, the other session lives.
    assert await viewer_id(other) == here.user_id
    assert await viewer_id(await sign_in(anon, "careful@example.org")) == here.user_id


async def test_logout_everywhere_ends_every_session_this_one_too(
    server: LiveServer, anon: Client
) -> None:
    here = await anon.register("everywhere@example.org", password=PASSWORD)
    there = await sign_in(anon, "everywhere@example.org")
    bystander = await anon.register("bystander@example.org", password=PASSWORD)
    async with (
        connect(server, here.token) as mine,
        connect(server, there.token) as theirs,
    ):
        await mine.subscribe("a", "ViewerEvents")
        await theirs.subscribe("b", "ViewerEvents")
        await until_listening(server, 4)

        assert (await here.op("LogoutEverywhere")).data == {"logoutEverywhere": True}
        closed = [await closing(mine), await closing(theirs)]

    assert [code for code, _ in closed] == [4403, 4403]
    assert await viewer_id(here) is None
    assert await viewer_id(there) is None
    assert (await here.op("LogoutEverywhere")).code == "UNAUTHENTICATED"
    assert await viewer_id(bystander) == bystander.user_id
    assert await viewer_id(await sign_in(anon, "everywhere@example.org")) == here.user_id


async def test_a_live_socket_closes_when_its_token_expires(
    server: LiveServer, anon: Client
) -> None:
    await anon.register("expiring@example.org", password=PASSWORD)
    short_lived = TokenIssuer(server.app.state.settings.secret_key, ttl=timedelta(seconds=1))
    with bound(server.app.state.tortoise):
        token = await short_lived.issue(await User.get(email="expiring@example.org"))
    async with connect(server, token) as socket:
        await socket.subscribe("e", "ViewerEvents")
        await until_listening(server, 2)  # live: its token was still valid

        code, reason = await closing(socket)

    assert code == 4403
    assert reason != "Forbidden"  # closed while streaming, not refused at the start
    assert await viewer_id(anon.signed_in(token, "")) is None


async def test_a_logout_between_the_token_check_and_listening_still_ends_the_stream(
    server: LiveServer, anon: Client
) -> None:
    """The revocation notice goes out before the stream listens: the stream asks the database."""
    here = await anon.register("racing@example.org", password=PASSWORD)
    services = server.app.state.services
    with bound(server.app.state.tortoise):
        signed_in = await services.tokens.authenticate(f"Bearer {here.token}")
        assert signed_in is not None
        await accounts.logout(signed_in, services.hub, now=services.clock())
        events = streams.viewer_events(signed_in, hub=services.hub, clock=services.clock)

        with pytest.raises(streams.Revoked):
            await asyncio.wait_for(anext(events), PATIENCE)
