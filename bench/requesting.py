"""The write path: requests, acceptances, profile saves and messages, one at a time.

.venv/bin/python -m bench.requesting --mentees 100 --messages 300
.venv/bin/python -m bench.requesting --database postgres --crowd 100000

Registers mentors and mentees over the API of an app on a fresh database
(SQLite: a temporary file; PostgreSQL: a scratch database on
TEST_POSTGRES_URL, dropped at the end), in-process through httpx's ASGI
transport, without rate limits. `--crowd N` first seeds N synthetic mentors
and mentees, so that index and trigger maintenance pay what they pay in a
large community. Then times, one after the other: each mentee's three
requests (`requestMentoring`), the mentors' acceptances
(`acceptMentoringRequest`: capacity changes), `--saves` mentor profile saves
that alternate between two profiles (topics, languages, capacity and
accepting mentees change: eligibility changes), and `sendMessage` in
accepted conversations. Prints the mean and median milliseconds of each, and
the CPU the process spent per call (the e-mail sender's work included, where
there is one). Only the contract's operations are used, so the same file
measures an older checkout too: copy it into that checkout's `bench/` (as
`bench/requesting_now.py`, say) and run `.venv/bin/python -m
bench.requesting_now ...` from that checkout's folder.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter, process_time
from typing import Any

import httpx

from app import Settings, create_app
from orm.database import open_database
from orm.seed import seed_synthetic
from tests.people import MENTEE_PROFILE, MENTOR_PROFILE, MESSAGE
from tests.postgres import scratch_database
from tests.support import FAST_HASHER, Client, NoRateLimits, running

# The second profile a mentor saves: the fields that decide eligibility and
# scoring differ from the first (capacity too, set per save), so each save
# moves the mentor in and out of the suggestion and search indexes.
OTHER_MENTOR_PROFILE: dict[str, Any] = {
    **MENTOR_PROFILE,
    "headline": "Head of research",
    "languages": ["en", "fr"],
    "topics": ["LEADERSHIP", "NETWORKING", "SOFT_SKILLS"],
    "acceptingMentees": False,
}


async def _person(anon: Client, email: str, operation: str, profile: dict[str, Any]) -> Client:
    client = await anon.register(email, email.split("@")[0])
    reply = await client.op(operation, input=profile)
    client.extra["profile"] = next(iter(reply.data.values()))["id"]
    return client


def _report(name: str, timings: list[float], cpu: float) -> None:
    mean = statistics.fmean(timings) * 1000
    median = statistics.median(timings) * 1000
    per_call = cpu / len(timings) * 1000
    print(
        f"{name:18} {len(timings):5} calls  mean {mean:6.2f} ms  median {median:6.2f} ms"
        f"  process CPU {per_call:5.2f} ms/call"
    )


@asynccontextmanager
async def database(engine: str, folder: Path) -> AsyncIterator[str]:
    if engine == "sqlite":
        yield f"sqlite://{folder / 'data' / 'bench.sqlite3'}"
        return
    async with scratch_database() as url:
        yield url


async def seed_crowd(url: str, people: int) -> None:
    """`people` synthetic mentors and a tenth as many mentees, as `app seed` makes them."""
    async with open_database(url):
        report = await seed_synthetic(
            mentors=people, mentees=people // 10, seed=1, now=datetime.now(UTC)
        )
    print(report, flush=True)


async def run(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-requesting-"))
    async with database(args.database, folder) as url:
        if args.crowd:
            await seed_crowd(url, args.crowd)
        await measure(args, url, folder)


async def measure(args: argparse.Namespace, url: str, folder: Path) -> None:
    options: dict[str, Any] = {}
    if args.mail_later and "outbox_interval" in Settings.__dataclass_fields__:
        options["outbox_interval"] = 3600.0  # e-mails wait: the request path alone
    if "key_store_url" in Settings.__dataclass_fields__:
        options["key_store_url"] = f"file://{folder / 'keys'}"
    settings = Settings(
        database_url=url,
        secret_key="bench-secret-key-that-is-long-enough-for-hs256",  # noqa: S106 - a bench's own
        password_hasher=FAST_HASHER,
        rate_limiter=NoRateLimits(),
        freeze_startup_heap=False,
        **options,
    )
    async with running(create_app(settings)) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            anon = Client(http=http)
            mentors = [
                await _person(
                    anon,
                    f"mentor{i}@bench.example",
                    "SaveMentorProfile",
                    {**MENTOR_PROFILE, "capacity": 20},
                )
                for i in range(3)
            ]
            mentees = [
                await _person(anon, f"mentee{i}@bench.example", "SaveMenteeProfile", MENTEE_PROFILE)
                for i in range(args.mentees)
            ]
            requested: list[float] = []
            relationships: list[tuple[Client, Client, str]] = []
            cpu = process_time()
            for mentee in mentees:
                for mentor in mentors:
                    values = {"mentorId": mentor.extra["profile"], "message": MESSAGE}
                    started = perf_counter()
                    reply = await mentee.op("RequestMentoring", input=values)
                    requested.append(perf_counter() - started)
                    relationships.append((mentor, mentee, reply.data["requestMentoring"]["id"]))
            request_cpu = process_time() - cpu
            accepted: list[float] = []
            cpu = process_time()
            for mentor, _, relationship_id in relationships[: args.conversations]:
                started = perf_counter()
                (await mentor.op("AcceptRequest", relationshipId=relationship_id)).data  # noqa: B018
                accepted.append(perf_counter() - started)
            accept_cpu = process_time() - cpu
            saved: list[float] = []
            cpu = process_time()
            for index in range(args.saves):
                mentor = mentors[index % len(mentors)]
                profile = (
                    OTHER_MENTOR_PROFILE if (index // len(mentors)) % 2 == 0 else MENTOR_PROFILE
                )
                values = {**profile, "capacity": 19 + index % 2}
                started = perf_counter()
                reply = await mentor.op("SaveMentorProfile", input=values)
                saved.append(perf_counter() - started)
                assert reply.data["saveMentorProfile"]["id"] == mentor.extra["profile"]
            save_cpu = process_time() - cpu
            sent: list[float] = []
            cpu = process_time()
            for index in range(args.messages):
                mentor, mentee, relationship_id = relationships[index % args.conversations]
                sender = mentee if index % 2 else mentor
                values = {"relationshipId": relationship_id, "body": f"Message {index}"}
                started = perf_counter()
                (await sender.op("SendMessage", input=values)).data  # noqa: B018
                sent.append(perf_counter() - started)
            send_cpu = process_time() - cpu
    print(f"{args.database}, {args.crowd:,} synthetic mentors beside the measured ones")
    _report("requestMentoring", requested, request_cpu)
    _report("acceptMentoringReq", accepted, accept_cpu)
    _report("saveMentorProfile", saved, save_cpu)
    _report("sendMessage", sent, send_cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=100, help="each requests 3 mentors")
    parser.add_argument("--conversations", type=int, default=30)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--saves", type=int, default=300, help="mentor profile saves")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--crowd", type=int, default=0, help="synthetic mentors seeded first (mentees: a tenth)"
    )
    parser.add_argument(
        "--mail-later",
        action="store_true",
        help="keep the e-mail sender idle while measuring (where there is one)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
