"""Hundreds of concurrent writes through several uvicorn processes on one SQLite file.

None fails, none is lost, none is doubled. (Users and their tokens are made
directly in the database first: registrations from one address are rate
limited, and this is about the writes, not about sign-up.)
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from orm.database import open_database
from orm.models import MentorProfile, User
from orm.vocabulary import topic_mask
from resolvers.tokens import TokenIssuer
from tests.servers import uvicorn_server

SECRET = "concurrency-test-secret-key-long-enough"
USERS = 200
WORKERS = 3
IN_FLIGHT = 60
SAVE = """mutation($input: MentorProfileInput!) {
  saveMentorProfile(input: $input) { id headline completeness { isComplete } }
}"""
COMPLETE = {
    "bio": "Twelve years in software.",
    "country": "DE",
    "languages": ["de", "en"],
    "industry": "Software",
    "yearsOfExperience": 12,
    "topics": ["CAREER_PLANNING", "LEADERSHIP"],
    "capacity": 2,
}
# One field each: sent at once by one user, every one must survive.
PARTIAL_UPDATES: list[dict[str, Any]] = [
    {"headline": "Partial"},
    {"bio": "A bio."},
    {"country": "FR"},
    {"city": "Lyon"},
    {"timezone": "Europe/Paris"},
    {"languages": ["fr"]},
    {"industry": "Aviation"},
    {"fieldOfStudy": "Physics"},
    {"yearsOfExperience": 7},
    {"topics": ["NETWORKING"]},
    {"capacity": 3},
    {"channels": ["EMAIL"]},
]


async def make_users(url: str, count: int = USERS) -> list[str]:
    """`count` users, and a token for each."""
    async with open_database(url):
        issuer = TokenIssuer(SECRET)
        await User.bulk_create(
            [
                User(email=f"writer{i}@example.org", display_name=f"W{i}", password_hash="x")
                for i in range(count)
            ]
        )
        return [await issuer.issue(user) for user in await User.all().order_by("id")]


async def save(http: httpx.AsyncClient, token: str, values: dict[str, Any]) -> dict[str, Any]:
    reply = await http.post(
        "/graphql",
        json={"query": SAVE, "variables": {"input": values}},
        headers={"authorization": f"Bearer {token}"},
    )
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    assert "errors" not in body, body
    return body


async def test_hundreds_of_concurrent_saves_across_processes_all_land_once(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'shared.sqlite3'}"
    tokens = await make_users(url)
    env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "BROADCAST_URL": "memory://"}

    with uvicorn_server(tmp_path, env, workers=WORKERS) as base_url:
        # All requests are sent at once; IN_FLIGHT of them share the sockets.
        limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
        async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as http:
            # Every user creates a profile, all at once.
            await asyncio.gather(
                *(
                    save(http, token, {**COMPLETE, "headline": f"H{i}"})
                    for i, token in enumerate(tokens)
                )
            )
            # Every user changes topics and languages, all at once.
            await asyncio.gather(
                *(
                    save(http, token, {"topics": ["NETWORKING"], "languages": ["fr"]})
                    for token in tokens
                )
            )
            # One user sends a dozen partial updates at once.
            await asyncio.gather(*(save(http, tokens[0], values) for values in PARTIAL_UPDATES))

    async with open_database(url, migrate=False):
        assert await MentorProfile.all().count() == USERS
        profiles = await MentorProfile.all()
        assert {(tuple(p.topics), p.topic_mask, tuple(p.languages)) for p in profiles} == {
            (("NETWORKING",), topic_mask(["NETWORKING"]), ("fr",))
        }
        headlines = {profile.headline for profile in await MentorProfile.all()}
        assert headlines == {"Partial"} | {f"H{i}" for i in range(1, USERS)}
        first = await MentorProfile.get(user__email="writer0@example.org")
    assert (first.city, first.timezone, first.country) == ("Lyon", "Europe/Paris", "FR")
    assert (first.industry, first.field_of_study, first.years_of_experience) == (
        "Aviation",
        "Physics",
        7,
    )
    assert (first.capacity, first.channels, first.bio) == (3, ["EMAIL"], "A bio.")
    assert (first.topics, first.languages) == (["NETWORKING"], ["fr"])
