"""Live messaging figures: N conversations chatting at once over real uvicorn and WebSockets.

.venv/bin/python -m bench.messaging --conversations 60 --messages 20 --interval 1
.venv/bin/python -m bench.messaging --conversations 60 --messages 20 --interval 0.01

The first is people chatting (each side of 60 conversations sends every
second, 120 messages/s in all); the second sends as fast as the server
answers, for the saturation throughput.

Seeds N accepted relationships into a fresh SQLite database (or DATABASE_URL),
starts the app with uvicorn in separate processes (`--processes`, sharing
DATABASE_URL and BROADCAST_URL from the environment when more than one), opens
one graphql-transport-ws socket per participant subscribed to messageAdded,
and lets both sides of every conversation send at once over HTTP, each over
its own keep-alive connection. Prints messages/s, send-to-receive latency
(POST sent -> partner's socket received) p50/p95/p99, the CPU the server
processes and this client used, and the machine's load (the figures move
with it), and checks that every socket received every message of its
conversation exactly once, in seq order, each sender's in send order.
The server runs without rate limits (a bench sends more than a person).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import websockets

from bench.cpu import cpu_seconds
from bench.http_scenarios import bench_keys
from orm.database import open_database
from orm.member_keys import MessageKeys
from orm.messages import add_message
from orm.models import MenteeProfile, MentorProfile, Relationship, User
from resolvers.cursors import message_cursor, parse_cursor
from resolvers.ids import Kind
from resolvers.tokens import TokenIssuer
from tests.servers import free_port
from tests.support import client_operations, id_of

ROOT = Path(__file__).resolve().parents[1]
SEND = client_operations()["SendMessage"]
FOLLOW = client_operations()["MessageAdded"]
NO = "-"  # the bench's users never sign in with a password: no hash matches it


@dataclass
class Side:
    token: str
    user_id: int
    sent_at: dict[str, float] = field(default_factory=dict)  # client id -> perf_counter
    received: list[tuple[int, str, float]] = field(default_factory=list)  # seq, client id, at


@dataclass
class Conversation:
    relationship_id: int
    sides: tuple[Side, Side]


async def seed(count: int, secret_key: str, keys: MessageKeys) -> list[Conversation]:
    tokens = TokenIssuer(secret_key)
    now = datetime.now(UTC)
    conversations = []
    for index in range(count):
        mentor_user = await User.create(
            email=f"mentor{index}@bench.example", display_name=f"Mentor {index}", password_hash=NO
        )
        mentee_user = await User.create(
            email=f"mentee{index}@bench.example", display_name=f"Mentee {index}", password_hash=NO
        )
        mentor = await MentorProfile.create(user=mentor_user, capacity=5, mentee_count=1)
        mentee = await MenteeProfile.create(user=mentee_user)
        row = await Relationship.create(
            mentor=mentor, mentee=mentee, status="ACCEPTED", created_at=now, responded_at=now
        )
        await add_message(
            keys, relationship_id=row.id, sender_id=mentee_user.id, body="Hi!", at=now
        )
        sides = (
            Side(await tokens.issue(mentor_user), mentor_user.id),
            Side(await tokens.issue(mentee_user), mentee_user.id),
        )
        conversations.append(Conversation(row.id, sides))
    return conversations


def serve_unlimited(port: int) -> None:
    """The server process: the app from the environment, without rate limits."""
    import uvicorn

    from app import Settings, create_app
    from tests.support import NoRateLimits

    # Every simulated client connects from 127.0.0.1: no per-address cap.
    settings = Settings.from_env(
        rate_limiter=NoRateLimits(), sweep_interval=3600, max_websockets_per_address=1_000_000
    )
    app = create_app(settings)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2)


def start_server(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "bench.messaging", "--serve", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


async def follow(
    url: str, conversation: Conversation, side: Side, ready: asyncio.Event, expected: int
) -> None:
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
        payload = {"authorization": f"Bearer {side.token}"}
        await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        variables = {
            "relationshipId": id_of(Kind.RELATIONSHIP, conversation.relationship_id),
            "after": message_cursor(1),
        }
        query = {"query": FOLLOW, "variables": variables}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": query}))
        ready.set()
        while len(side.received) < expected:
            message = json.loads(await socket.recv())
            if message["type"] == "ping":
                await socket.send(json.dumps({"type": "pong"}))
                continue
            assert message["type"] == "next", message
            node = message["payload"]["data"]["messageAdded"]
            seq = parse_cursor("cursor", node["cursor"])
            side.received.append((seq, node["clientMessageId"], time.perf_counter()))


async def chat(
    http: httpx.AsyncClient, conversation: Conversation, side: Side, count: int, interval: float
) -> None:
    headers = {"authorization": f"Bearer {side.token}"}
    # Senders start spread over one interval, as people do, not in lockstep.
    await asyncio.sleep(random.uniform(0, interval))
    for number in range(count):
        client_id = f"{side.user_id}-{number}"
        variables = {
            "input": {
                "relationshipId": id_of(Kind.RELATIONSHIP, conversation.relationship_id),
                "body": f"Message {number} from {side.user_id}",
                "clientMessageId": client_id,
            }
        }
        side.sent_at[client_id] = time.perf_counter()
        reply = await http.post(
            "/graphql", json={"query": SEND, "variables": variables}, headers=headers
        )
        assert "errors" not in reply.json(), reply.text
        await asyncio.sleep(interval)


def check(conversation: Conversation) -> None:
    """Every message once, in seq order, each sender's in the order sent."""
    sent = [client_id for side in conversation.sides for client_id in side.sent_at]
    for side in conversation.sides:
        seqs = [seq for seq, _, _ in side.received]
        ids = [client_id for _, client_id, _ in side.received]
        assert seqs == sorted(set(seqs)), "out of order or doubled"
        assert sorted(ids) == sorted(sent), "lost or doubled messages"
        for sender in conversation.sides:
            mine = [client_id for client_id in ids if client_id in sender.sent_at]
            assert mine == list(sender.sent_at), "a sender's messages out of order"


def latencies(conversations: Sequence[Conversation]) -> list[float]:
    found = []
    for conversation in conversations:
        for receiver, sender in (conversation.sides, conversation.sides[::-1]):
            for _, client_id, at in receiver.received:
                if client_id in sender.sent_at:
                    found.append((at - sender.sent_at[client_id]) * 1000)
    return found


def percentile(values: Sequence[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(share) - 1]


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        secret_key = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48)
        database_url = (
            os.environ.get("DATABASE_URL") or f"sqlite://{Path(folder) / 'bench.sqlite3'}"
        )
        async with open_database(database_url):
            keys = bench_keys(database_url, secret_key)
            conversations = await seed(args.conversations, secret_key, keys)
        env = {"DATABASE_URL": database_url, "SECRET_KEY": secret_key}
        ports = [free_port() for _ in range(args.processes)]
        servers = [start_server(port, env) for port in ports]
        try:
            await exchange(args, conversations, ports, [server.pid for server in servers])
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)


async def exchange(
    args: argparse.Namespace, conversations: list[Conversation], ports: list[int], pids: list[int]
) -> None:
    expected = 2 * args.messages
    followers, ready = [], []
    for index, conversation in enumerate(conversations):
        for offset, side in enumerate(conversation.sides):
            port = ports[(index + offset) % len(ports)]  # partners on different processes
            event = asyncio.Event()
            ready.append(event)
            url = f"ws://127.0.0.1:{port}/graphql"
            followers.append(asyncio.create_task(follow(url, conversation, side, event, expected)))
    await asyncio.gather(*(event.wait() for event in ready))
    # Each participant has their own keep-alive connection, as each browser
    # does: one shared pool would make senders queue for a connection inside
    # this client and count that wait as delivery latency.
    clients = [
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{ports[index % len(ports)]}")
        for index, conversation in enumerate(conversations)
        for _ in conversation.sides
    ]
    await asyncio.gather(*(client.get("/healthz") for client in clients))
    cpu_before, client_before = cpu_seconds(pids), time.process_time()
    started = time.perf_counter()
    sides = [side for conversation in conversations for side in conversation.sides]
    owners = [conversation for conversation in conversations for _ in conversation.sides]
    senders = [
        chat(client, conversation, side, args.messages, args.interval)
        for client, conversation, side in zip(clients, owners, sides, strict=True)
    ]
    await asyncio.gather(*senders)
    await asyncio.wait_for(asyncio.gather(*followers), timeout=60)
    seconds = time.perf_counter() - started
    cpu_after, client_cpu = cpu_seconds(pids), time.process_time() - client_before
    for client in clients:
        await client.aclose()
    for conversation in conversations:
        check(conversation)
    sent = len(conversations) * expected
    delivered = sent * 2
    found = latencies(conversations)
    print(
        f"{len(conversations)} conversations, {args.processes} process(es): "
        f"{sent:,} messages sent, "
        f"{delivered:,} delivered in order exactly once in {seconds:.2f} s "
        f"({sent / seconds:,.0f} sent/s, {delivered / seconds:,.0f} delivered/s)"
    )
    print(
        f"send-to-receive: p50 {percentile(found, 50):.1f} ms, p95 {percentile(found, 95):.1f} ms, "
        f"p99 {percentile(found, 99):.1f} ms, max {max(found):.1f} ms"
    )
    if cpu_before is not None and cpu_after is not None:
        used = cpu_after - cpu_before
        print(
            f"server CPU: {used:.2f} s ({used / seconds:.0%} of one core), "
            f"{used / sent * 1000:.2f} ms per message sent; "
            f"this client: {client_cpu / seconds:.0%} of one core; "
            f"machine load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=60)
    parser.add_argument("--messages", type=int, default=20, help="sent by each participant")
    parser.add_argument(
        "--interval", type=float, default=1.0, help="seconds between a sender's sends"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="uvicorn processes (>1 needs PostgreSQL and Redis in the environment)",
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_unlimited(args.serve)
        return
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
