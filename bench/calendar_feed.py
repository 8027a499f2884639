"""The calendar feed of a member with 200 meetings: time per answer, built and 304.

.venv/bin/python -m bench.calendar_feed [--meetings 200] [--requests 300]

Starts the app under uvicorn in this process (a fresh SQLite database, no
rate limits), makes an ACTIVE relationship through the API and gives it
`--meetings` meetings (confirmed, every tenth cancelled) from 80 days ago
on, one a day, all inside the feed's window. Then GETs the mentee's feed
URL over TCP, one request after another: first whole answers (the query,
the entity tag, the calendar built with `icalendar`), then polls that send
the entity tag back and get 304 (the query and the tag only). Prints p50,
p90 and p99 of each, in milliseconds, measured by the client.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from orm.database import open_database
from orm.models import Meeting
from tests.clock import TOKENS_FOR_YEARS, FakeClock
from tests.live import serve
from tests.people import act, activate, new_mentee, new_mentor
from tests.support import Client, NoRateLimits, key_of, settings_for


def figures(name: str, timings: list[float]) -> str:
    cuts = statistics.quantiles(timings, n=100)
    return (
        f"{name:<28} p50 {cuts[49] * 1000:6.2f} ms   p90 {cuts[89] * 1000:6.2f} ms"
        f"   p99 {cuts[98] * 1000:6.2f} ms   ({len(timings)} requests)"
    )


async def timed(http: httpx.AsyncClient, path: str, count: int, **headers: str) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = await http.get(path, headers=headers)
        timings.append(time.perf_counter() - started)
        assert response.status_code == (304 if headers else 200), response.status_code
    return timings


async def add_meetings(relationship_id: int, user_id: int, count: int, clock: FakeClock) -> None:
    """One a day from 80 days ago, at varying hours; every tenth cancelled."""
    first = clock.now - timedelta(days=80)
    for index in range(count):
        cancelled = index % 10 == 9
        starts_at = first + timedelta(days=index, hours=index % 8)
        await Meeting.create(
            relationship_id=relationship_id,
            proposed_by_id=user_id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=45),
            duration_minutes=45,
            channel="VIDEO_CALL",
            location="https://meet.example.org/marta-mika",
            status="CANCELLED" if cancelled else "CONFIRMED",
            sequence=2 if cancelled else 1,
            created_at=clock.now,
            updated_at=clock.now,
            confirmed_at=clock.now,
        )


async def run(meetings: int, requests: int) -> None:
    clock = FakeClock()
    with tempfile.TemporaryDirectory() as folder:
        settings = settings_for(
            Path(folder),
            clock=clock,
            token_ttl=TOKENS_FOR_YEARS,
            rate_limiter=NoRateLimits(),
            public_url="https://mentoring.example.org",
        )
        async with serve(settings) as server, httpx.AsyncClient(base_url=server.http_url) as http:
            anon = Client(http=http)
            mentor = await new_mentor(anon, "mentor@example.org", "Marta Mentor")
            mentee = await new_mentee(anon, "mentee@example.org", "Mika Mentee")
            relationship_id = await activate(mentor, mentee, clock, days=365)
            # The server's database context is its own task's: a second connection writes.
            async with open_database(settings.database_url, migrate=False):
                await add_meetings(key_of(relationship_id), key_of(mentee.user_id), meetings, clock)
            url = (await act(mentee, "CalendarFeed"))["viewer"]["calendarFeedUrl"]
            path = urlsplit(url).path
            whole = await http.get(path)
            shown = whole.content.count(b"BEGIN:VEVENT")
            assert shown == meetings, (shown, meetings)
            etag = whole.headers["etag"]
            await timed(http, path, 20)  # warm-up
            built = await timed(http, path, requests)
            polled = await timed(http, path, requests, **{"If-None-Match": etag})
    print(f"calendar feed, {meetings} meetings, {len(whole.content)} bytes")
    print(figures("200 (calendar built)", built))
    print(figures("304 (If-None-Match)", polled))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    asyncio.run(run(args.meetings, args.requests))


if __name__ == "__main__":
    main()
