"""Several real `uvicorn app:app` processes sharing one PostgreSQL database and one Redis."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets

from tests.conversations import send
from tests.live import PROTOCOL, Socket
from tests.people import Person
from tests.servers import uvicorn_server
from tests.support import Client

SECRET_KEY = "scale-out-secret-key-shared-by-every-process"
PATIENCE = 20.0


@dataclass
class Node:
    """One process of the service, as a client reaches it."""

    base_url: str
    http: httpx.AsyncClient
    _stack: ExitStack

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/graphql"

    def as_user(self, client: Client) -> Client:
        """The same signed-in user, talking to this process."""
        return Client(http=self.http, token=client.token, user_id=client.user_id)

    async def readiness(self) -> int:
        return (await self.http.get("/readyz")).status_code

    async def until_ready(self, expected: int) -> None:
        """Wait until /readyz answers `expected` (it probes with timeouts of its own)."""
        async with asyncio.timeout(PATIENCE):
            while await self.readiness() != expected:  # noqa: ASYNC110 - another process
                await asyncio.sleep(0.1)


@dataclass
class Cluster:
    directory: Path
    env: Mapping[str, str]
    nodes: list[Node] = field(default_factory=list)

    async def start(self, count: int = 1) -> list[Node]:
        """`count` more processes, started together (they share the migration lock)."""
        return list(await asyncio.gather(*(self._start_one() for _ in range(count))))

    async def _start_one(self) -> Node:
        stack = ExitStack()
        server = uvicorn_server(self.directory, {**self.env, "SECRET_KEY": SECRET_KEY})
        base_url = await asyncio.to_thread(stack.enter_context, server)
        node = Node(base_url, httpx.AsyncClient(base_url=base_url, timeout=PATIENCE), stack)
        self.nodes.append(node)
        return node

    async def stop(self, node: Node) -> None:
        self.nodes.remove(node)
        await node.http.aclose()
        # Stopping blocks until the process exits: keep the event loop (and
        # any proxy it runs) going meanwhile.
        await asyncio.to_thread(node._stack.close)

    async def close(self) -> None:
        for node in list(self.nodes):
            await self.stop(node)


@asynccontextmanager
async def cluster(directory: Path, env: Mapping[str, str]) -> AsyncIterator[Cluster]:
    running = Cluster(directory, env)
    try:
        yield running
    finally:
        await running.close()


@asynccontextmanager
async def connect(node: Node, token: str | None) -> AsyncIterator[Socket]:
    async with websockets.connect(node.ws_url, subprotocols=[PROTOCOL]) as connection:  # type: ignore[list-item]
        socket = Socket(connection)
        await socket.init(token)
        yield socket


def on(node: Node, person: Person) -> Person:
    """The same person, their requests sent to `node`."""
    return Person(node.as_user(person.client), person.profile_id)


async def events_flowing(socket: Socket, sender: Person, chat: str) -> dict[str, Any]:
    """Send until the socket's viewerEvents stream (which has no `after`) hears one."""
    while True:
        probe = await send(sender, chat, "Are you listening?")
        try:
            message = await asyncio.wait_for(socket.receive(), 1.0)
        except TimeoutError:
            continue
        assert message["id"] == "e", message
        return probe


async def messages_flowing(
    socket: Socket, sender: Person, chat: str, *, after: str, body: str = "Still there?"
) -> None:
    """Subscribe `m` to the chat's messages after `after`, and see one sent now arrive."""
    await socket.subscribe("m", "MessageAdded", relationshipId=chat, after=after)
    await send(sender, chat, body)
    assert (await socket.next_data("m"))["messageAdded"]["body"] == body
