"""The data export's figure: myData for a member with 20 relationships and 2,000 messages.

.venv/bin/python -m bench.data_export --relationships 20 --messages 2000 --calls 5

Builds the member in a fresh SQLite database (each relationship ACTIVE, its
messages sealed with each sender's own key, as the service writes them),
then asks `myData` over HTTP (in-process ASGI) `--calls` times and prints
the median and slowest time per export. The target is under 1 s; figures
measured on a shared machine are upper bounds.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
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
from orm.models import MenteeProfile, MentorProfile, Relationship, User
from tests.support import key_of

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECRET_KEY = secrets.token_urlsafe(48)
REGISTER = """mutation { register(input: {email: "exporter@bench.example",
  password: "bench password", displayName: "Exporter"}) { token user { id } } }"""
MY_DATA = "{ myData }"
BODY = "A message of an ordinary length, about the next application and the interview. "


async def build(app_keys: MessageKeys, user_id: int, relationships: int, messages: int) -> None:
    mentee = await MenteeProfile.create(user_id=user_id, headline="Exporting")
    per = messages // relationships
    for index in range(relationships):
        partner = await User.create(
            email=f"partner{index}@bench.example",
            display_name=f"Partner {index}",
            password_hash="-",  # noqa: S106 - no password matches it
        )
        mentor = await MentorProfile.create(user=partner, capacity=5, mentee_count=1)
        row = await Relationship.create(
            mentor=mentor, mentee=mentee, status="ACTIVE", created_at=NOW, responded_at=NOW
        )
        senders = (user_id, partner.id)
        for number in range(per):
            await add_message(
                app_keys,
                relationship_id=row.id,
                sender_id=senders[number % 2],
                body=f"{BODY}({number})",
                at=NOW + timedelta(seconds=number),
            )


async def measure(relationships: int, messages: int, calls: int) -> None:
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
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                payload = (await http.post("/graphql", json={"query": REGISTER})).json()
                signed_in = payload["data"]["register"]
                headers = {"authorization": f"Bearer {signed_in['token']}"}
                user_id = key_of(signed_in["user"]["id"])
                keys = app.state.services.message_keys
                await build(keys, user_id, relationships, messages)
                times = []
                for _ in range(calls):
                    started = perf_counter()
                    reply = await http.post("/graphql", json={"query": MY_DATA}, headers=headers)
                    times.append(perf_counter() - started)
                    data = reply.json()["data"]["myData"]
                    exported = sum(len(r["messages"]) for r in data["relationships"])
                    assert exported == relationships * (messages // relationships)
    print(
        f"myData with {relationships} relationships and {exported:,} messages: "
        f"median {statistics.median(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms "
        f"over {calls} calls (target < 1000 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relationships", type=int, default=20)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--calls", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(measure(args.relationships, args.messages, args.calls))


if __name__ == "__main__":
    main()
