"""Relationship figures: the expiry sweep over a backlog, and myRelationships over HTTP.

.venv/bin/python -m bench.relationships --due 10000 --listed 20 --calls 200
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import perf_counter

import httpx
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST

from app import Settings, create_app
from orm.member_keys import MessageKeys
from orm.messages import add_message
from orm.models import Agreement, MenteeProfile, MentorProfile, Relationship
from orm.seed import seed_synthetic
from resolvers import settling
from tests.support import key_of

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECRET_KEY = secrets.token_urlsafe(48)
LISTING = """{ myRelationships {
  id status viewerRole createdAt startsOn endsOn requestMessage
  mentor { id displayName } mentee { id displayName contactLinks { kind value } }
  agreement { version status goals topics cadence channels startsOn endsOn proposedBy { id } }
} }"""


async def backlog(due: int) -> None:
    """`due` requests unanswered for 15 days, spread over the seeded profiles."""
    mentors = [row.id for row in await MentorProfile.all().only("id")]
    mentees = [row.id for row in await MenteeProfile.all().only("id")]
    rows = [
        Relationship(
            mentor_id=mentors[index % len(mentors)],
            mentee_id=mentees[index % len(mentees)],
            status="REQUESTED",
            request_topics=[],
            created_at=NOW - timedelta(days=15),
        )
        for index in range(due)
    ]
    await Relationship.bulk_create(rows, batch_size=5000)


async def listed_for(keys: MessageKeys, mentor_id: int, mentor_user_id: int, count: int) -> None:
    mentees = await MenteeProfile.all().limit(count)
    for mentee in mentees:
        row = await Relationship.create(
            mentor_id=mentor_id, mentee=mentee, status="ACTIVE", created_at=NOW
        )
        await add_message(
            keys, relationship_id=row.id, sender_id=mentee.user_id, body="x" * 80, at=NOW
        )
        await Agreement.create(
            relationship=row,
            version=1,
            proposed_by_id=mentor_user_id,
            status="ACCEPTED",
            goals=["A goal"],
            topics=["NETWORKING"],
            cadence="MONTHLY",
            channels=["EMAIL"],
            starts_on=NOW.date(),
            ends_on=NOW.date() + timedelta(days=180),
            created_at=NOW,
        )


class Counter(logging.Handler):
    statements = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.statements += 1


async def measure(due: int, listed: int, calls: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_url=f"sqlite://{Path(folder) / 'bench.sqlite3'}",
            secret_key=SECRET_KEY,
            password_hasher=PasswordHasher.from_parameters(CHEAPEST),
            clock=lambda: NOW,
            sweep_interval=3600,
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            await seed_synthetic(
                mentors=1000, mentees=max(listed, 200), seed=1, now=datetime.now(UTC)
            )
            await backlog(due)
            started = perf_counter()
            swept = await settling.sweep(lambda: NOW)
            seconds = perf_counter() - started
            print(f"sweep: {len(swept):,} requests expired in {seconds:.2f} s", end=" ")
            print(f"({len(swept) / seconds:,.0f}/s)")

            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                signed_in = await http.post("/graphql", json={"query": REGISTER})
                payload = signed_in.json()["data"]["register"]
                headers = {"authorization": f"Bearer {payload['token']}"}
                user_id = key_of(payload["user"]["id"])
                mentor = await MentorProfile.create(user_id=user_id, capacity=20)
                await listed_for(app.state.services.message_keys, mentor.id, user_id, listed)
                counter = Counter(level=logging.DEBUG)
                db_logger = logging.getLogger("tortoise.db_client")
                db_logger.addHandler(counter)
                db_logger.setLevel(logging.DEBUG)
                started = perf_counter()
                for _ in range(calls):
                    reply = await http.post("/graphql", json={"query": LISTING}, headers=headers)
                    assert len(reply.json()["data"]["myRelationships"]) == listed
                seconds = perf_counter() - started
            print(
                f"myRelationships with {listed} relationships: "
                f"{seconds / calls * 1000:.1f} ms per request, "
                f"{counter.statements / calls:.0f} SQL statements per request"
            )


REGISTER = """mutation { register(input: {email: "bench@example.org", password: "bench password",
  displayName: "Bench"}) { token user { id } } }"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--due", type=int, default=10_000, help="requests due to expire")
    parser.add_argument("--listed", type=int, default=20, help="relationships listed")
    parser.add_argument("--calls", type=int, default=200, help="myRelationships requests")
    args = parser.parse_args()
    asyncio.run(measure(args.due, args.listed, args.calls))


if __name__ == "__main__":
    main()
