"""Discovery speed through the HTTP stack, at 10,000 and 100,000 mentors.

.venv/bin/python -m bench.discovery [--sizes 10000 100000] [--requests 200]

For each size: seeds the mentors and 1,000 mentees into a fresh SQLite file,
times the bare SQL (the scoring query alone; a search's page query, which
also reads the page's mentor rows, and its count query), then starts the
real app with uvicorn on a free localhost port and times
MentorSuggestions(first: 10) and a text + topic + language SearchMentors,
one request at a time, signed in as seeded mentees with complete profiles.
Everything is bounded: a fixed number of requests, and a server that is
stopped at the end (or after a start-up timeout).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from argon2 import PasswordHasher

from bench.http_scenarios import client_query
from bench.servers import uvicorn
from orm import search as search_rows
from orm import suggestions as suggestion_rows
from orm.database import open_database
from orm.models import MenteeProfile, User
from orm.seed import seed_synthetic
from orm.timezones import hour_of
from orm.traits import MenteeTraits
from orm.vocabulary import Topic
from resolvers.scoring import WEIGHTS

PASSWORD = "bench password"  # noqa: S105 - set on seeded bench accounts only
VIEWERS = 20

SEARCHES: list[dict[str, Any]] = [
    {"text": "engineer", "topics": ["CAREER_PLANNING"], "languages": ["de"]},
    {"text": "software", "topics": ["NETWORKING", "LEADERSHIP"], "languages": ["en"]},
    {"text": "berlin", "topics": ["LEADERSHIP"], "languages": ["de", "en"]},
    {"text": "consultant", "topics": ["APPLICATION_STRATEGY"], "languages": ["en"]},
    {"text": "research physics", "topics": ["SUBJECT_EXPERTISE"], "languages": ["fr", "de"]},
]


@dataclass
class Timing:
    label: str
    seconds: list[float]
    wall: float

    def line(self) -> str:
        ordered = sorted(self.seconds)
        p50 = statistics.median(ordered) * 1000
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000
        rate = len(ordered) / self.wall
        return f"  {self.label:<34} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   {rate:6.0f} req/s"


async def _time(label: str, runs: int, call: Callable[[int], Awaitable[object]]) -> Timing:
    for index in range(min(10, runs)):  # warm the caches first
        await call(index)
    seconds = []
    started = time.perf_counter()
    for index in range(runs):
        begin = time.perf_counter()
        await call(index)
        seconds.append(time.perf_counter() - begin)
    return Timing(label, seconds, time.perf_counter() - started)


async def prepare(
    url: str, mentors: int, mentees: int, requests: int
) -> tuple[list[str], list[Timing], str]:
    """Seed, give some complete mentees a password, and time the bare SQL.

    The SQL runs as many times as the HTTP requests do, over the same
    viewers and searches in the same order: the scoring query's time varies
    tenfold between mentees, so a different mix (50 runs over 20 viewers
    weighed the first ten half again as much) moves its median by a fifth.
    """
    async with open_database(url):
        report = await seed_synthetic(
            mentors=mentors, mentees=mentees, seed=1, now=datetime.now(UTC)
        )
        profiles = await MenteeProfile.filter(is_complete=True).order_by("id").limit(VIEWERS)
        password_hash = PasswordHasher().hash(PASSWORD)
        users = await User.filter(id__in=[p.user_id for p in profiles])
        await User.filter(id__in=[u.id for u in users]).update(password_hash=password_hash)
        now = datetime.now(UTC)
        traits = [MenteeTraits.of(profile, now) for profile in profiles]
        criteria = [
            search_rows.MentorSearch(
                words=search_rows.words_of(s["text"]),
                topics=tuple(Topic(t) for t in s["topics"]),
                languages=tuple(s["languages"]),
            )
            for s in SEARCHES
        ]

        async def score(index: int) -> object:
            mentee = traits[index % len(traits)]
            return await suggestion_rows.best_mentors(mentee, WEIGHTS, first=10, at=hour_of(now))

        async def search(index: int) -> object:
            search = criteria[index % len(criteria)]
            page = await search_rows.search_mentors(search, first=20, after_id=None)
            return page, await search_rows.count_mentors(search)

        sql = [
            await _time("SQL: scoring query (top 10)", requests, score),
            await _time("SQL: search page + count", requests, search),
        ]
    return [u.email for u in users], sql, str(report)


async def _over_http(base: str, emails: list[str], requests: int) -> list[Timing]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        tokens = []
        for email in emails:
            login = await client.post(
                "/graphql",
                json={
                    "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p)"
                    " { token } }",
                    "variables": {"e": email, "p": PASSWORD},
                },
            )
            tokens.append(login.json()["data"]["login"]["token"])

        async def post(query: str, variables: dict[str, Any], token: str | None) -> None:
            headers = {"authorization": f"Bearer {token}"} if token else {}
            reply = await client.post(
                "/graphql", json={"query": query, "variables": variables}, headers=headers
            )
            body = reply.json()
            if reply.status_code != 200 or body.get("errors"):
                raise RuntimeError(f"unexpected reply: {reply.status_code} {body}")

        async def suggest(index: int) -> None:
            await post(
                client_query("MentorSuggestions"), {"first": 10}, tokens[index % len(tokens)]
            )

        async def search(index: int) -> None:
            await post(
                client_query("SearchMentors"),
                {"filter": SEARCHES[index % len(SEARCHES)], "first": 20},
                None,
            )

        return [
            await _time("HTTP: MentorSuggestions(first: 10)", requests, suggest),
            await _time("HTTP: SearchMentors text+topic+lang", requests, search),
        ]


async def measure(mentors: int, mentees: int, requests: int) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url = f"sqlite://{folder / 'bench.sqlite3'}"
        emails, sql, seeded = await prepare(url, mentors, mentees, requests)
        env = {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-for-hs256",
            "GRAPHIQL": "false",
        }
        with uvicorn("app:app", env, folder) as base:
            http = await _over_http(base, emails, requests)
    print(f"{mentors:,} mentors, {mentees:,} mentees ({seeded}):")
    for timing in [*sql, *http]:
        print(timing.line())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--mentees", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    for size in args.sizes:
        asyncio.run(measure(size, args.mentees, args.requests))


if __name__ == "__main__":
    main()
