"""Helpers for discovery tests: mentors and mentees made through the API."""

from __future__ import annotations

import itertools
from typing import Any

from tests.support import Client, key_of
from tests.test_profiles import COMPLETE_MENTEE, COMPLETE_MENTOR

_people = itertools.count(1)


async def person(anon: Client, name: str = "Pat Person") -> Client:
    return await anon.register(f"discovery{next(_people)}@example.org", name)


async def mentor(anon: Client, name: str = "Mo Mentor", **values: Any) -> tuple[Client, str]:
    """A signed-in user with a complete mentor profile (values override), and its id."""
    client = await person(anon, name)
    reply = await client.op("SaveMentorProfile", input={**COMPLETE_MENTOR, **values})
    return client, str(reply.data["saveMentorProfile"]["id"])


async def mentee(anon: Client, name: str = "Em Mentee", **values: Any) -> Client:
    """A signed-in user with a complete mentee profile (values override)."""
    client = await person(anon, name)
    (await client.op("SaveMenteeProfile", input={**COMPLETE_MENTEE, **values})).data  # noqa: B018
    return client


async def search_all(
    client: Client, filter: dict[str, Any] | None, first: int = 100
) -> tuple[list[int], int]:
    """Every page of a search: the ids in order, and the totalCount (the same on each page)."""
    ids: list[int] = []
    totals: set[int] = set()
    after: str | None = None
    for _ in range(1000):
        data = (await client.op("SearchMentors", filter=filter, first=first, after=after)).data
        page = data["searchMentors"]
        totals.add(page["totalCount"])
        ids += [key_of(edge["node"]["id"]) for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        assert page["edges"], "a page before the last is never empty"
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    assert len(totals) == 1, totals
    return ids, totals.pop()
