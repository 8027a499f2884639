"""Discovery speed on SQLite and PostgreSQL, bare SQL and through the HTTP stack.

.venv/bin/python -m bench.discovery [--engines sqlite postgres] [--sizes 100000 1000000]
    [--requests 200] [--check-exact N] [--plot docs/discovery.png] [--reuse DIR]

For each engine and size: seeds the mentors and 1,000 mentees into a fresh
database (SQLite: a temporary file; PostgreSQL: `discovery_bench_<hex>` on
TEST_POSTGRES_URL, analysed and checkpointed after the load, dropped at the
end), times the bare SQL (the scoring query alone; a search's page query,
which also reads the page's mentor rows, and its count query), then starts
the real app with uvicorn on a free localhost port and times MentorSuggestions(first: 10) and
a text + topic + language SearchMentors, one request at a time: "HTTP
search" with the search version moved before each request, so that the
server counts every one afresh as after a profile change, "HTTP search kept"
with the counts the server kept (`orm.search_counts`: a client paging
through a search); "SQL search" counts afresh too. The viewers
are 20 seeded complete mentees and 5 flat-score ones (one topic, thirteen
languages: many mentors tie near the top, which was the slow tail), in a
fixed order. `--check-exact N` compares the top 10 of N viewers with a brute
force in Python (`bench.discovery_exact`) and the first pages, a middle
page and the totalCount of every search with the matches found in Python.
Everything is printed as one table at the end.

Seeding a million mentors takes minutes, so `--reuse DIR` keeps each seeded
database for the next run with the same engine, size, mentees and seed:
SQLite, a pristine copy of the file in DIR; PostgreSQL, a template database
`discovery_kept_<mentors>_<mentees>_<seed>`, `VACUUM ANALYZE`d. Each run
works on a copy (the bench changes its viewers' rows), which is migrated
first, so a kept database also serves a branch with newer migrations. The
seeding column then shows the time of the kept seeding.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from argon2 import PasswordHasher
from tortoise.backends.base.executor import EXECUTOR_CACHE

from bench import discovery_exact
from bench.databases import admin, database_exists, fresh_database, server_settings
from bench.http_scenarios import client_query
from bench.servers import uvicorn
from orm import buffer_pool, search_counts
from orm import search as search_rows
from orm import suggestions as suggestion_rows
from orm.database import open_database
from orm.models import MenteeProfile, User
from orm.seed import seed_synthetic
from orm.sql import connection
from orm.timezones import hour_of
from orm.traits import MenteeTraits
from orm.vocabulary import Topic
from resolvers.scoring import WEIGHTS

SEED = 1  # of the synthetic data
PASSWORD = "bench password"  # noqa: S105 - set on seeded bench accounts only
VIEWERS = 20
FLAT_VIEWERS = 5
FLAT_LANGUAGES = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr", "hi", "zh", "ja", "ar"]

SEARCHES: list[dict[str, Any]] = [
    {"text": "data", "topics": ["LEADERSHIP"], "languages": ["en"]},
    {"text": "engineer", "topics": ["CAREER_PLANNING"], "languages": ["de"]},
    {"text": "software", "topics": ["NETWORKING", "LEADERSHIP"], "languages": ["en"]},
    {"text": "berlin", "topics": ["LEADERSHIP"], "languages": ["de", "en"]},
    {"text": "consultant", "topics": ["APPLICATION_STRATEGY"], "languages": ["en"]},
    {"text": "research physics", "topics": ["SUBJECT_EXPERTISE"], "languages": ["fr", "de"]},
]


@dataclass
class Timing:
    seconds: list[float]

    def percentile(self, share: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[max(0, round(share * len(ordered)) - 1)] * 1000

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95(self) -> float:
        return self.percentile(0.95)

    def cell(self) -> str:
        return f"{self.p50:6.1f} / {self.p95:6.1f}"


@dataclass
class Result:
    engine: str
    mentors: int
    seeding: float = 0.0
    timings: dict[str, Timing] = field(default_factory=dict)
    exact: str = "-"
    reused: bool = False  # the seeding was kept from an earlier run (--reuse)
    # PostgreSQL: megabytes of `mentor_search` with its indexes, which a text
    # search's count reads; compare with the server's shared_buffers.
    search_mb: float | None = None


COLUMNS = (
    "SQL sugg",
    "SQL sugg flat",
    "SQL search",
    "HTTP sugg",
    "HTTP search",
    "HTTP search kept",
)


async def _time(
    runs: int,
    call: Callable[[int], Awaitable[object]],
    before: Callable[[], Awaitable[None]] | None = None,
) -> Timing:
    """`call` `runs` times after ten to warm the caches; `before` each, not timed."""
    seconds = []
    for index in range(min(10, runs)):
        if before is not None:
            await before()
        await call(index)
    for index in range(runs):
        if before is not None:
            await before()
        begin = time.perf_counter()
        await call(index)
        seconds.append(time.perf_counter() - begin)
    return Timing(seconds)


async def _counts_forgotten() -> None:
    """Every search counted again: this process keeps no count (`orm.search_counts`)."""
    search_counts.COUNTS.clear()


async def _version_moved() -> None:
    """Every search counted again by every process, as after any profile change."""
    await search_counts.bump(connection())


@dataclass(frozen=True)
class Kept:
    """Where `--reuse` keeps the seeded database of one engine, size, mentees and seed."""

    folder: Path
    engine: str
    mentors: int
    mentees: int

    @property
    def name(self) -> str:
        return f"discovery_kept_{self.mentors}_{self.mentees}_{SEED}"

    @property
    def file(self) -> Path:
        """The SQLite copy."""
        return self.folder / f"{self.name}.sqlite3"

    @property
    def facts(self) -> Path:
        """Written last, once the kept database is whole: its seeding's seconds."""
        return self.folder / f"{self.name}.{self.engine}.json"

    def seconds(self) -> float | None:
        if not self.facts.exists():
            return None
        return float(json.loads(self.facts.read_text())["seconds"])


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database, its write-ahead log included."""
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)
    reading.close()
    writing.close()


@asynccontextmanager
async def kept_or_fresh(
    engine: str, folder: Path, kept: Kept | None = None
) -> AsyncIterator[tuple[str, float | None]]:
    """(URL, seeding seconds) of a database of `engine`, gone afterwards.

    A copy of the kept seeding when `kept` has one (with its seconds), else
    an empty database (None).
    """
    seconds = kept.seconds() if kept is not None else None
    if kept is None or seconds is None:
        async with fresh_database(engine, folder, "discovery") as url:
            yield url, None
        return
    if engine == "sqlite":
        async with fresh_database(engine, folder, "discovery") as url:
            _copy_sqlite(kept.file, Path(urlsplit(url).path))
            yield url, seconds
        return
    template = kept.name if await database_exists(kept.name) else None
    async with fresh_database(engine, folder, "discovery", template=template) as url:
        yield url, seconds if template else None


async def keep(url: str, engine: str, kept: Kept, seconds: float) -> None:
    """Keep the seeded database at `url` (no connection open to it) for later runs."""
    kept.folder.mkdir(parents=True, exist_ok=True)
    kept.facts.unlink(missing_ok=True)
    if engine == "sqlite":
        part = kept.file.with_suffix(".part")
        part.unlink(missing_ok=True)
        _copy_sqlite(Path(urlsplit(url).path), part)
        part.replace(kept.file)
    else:
        name = urlsplit(url).path.lstrip("/")
        async with admin() as server:
            await server.execute(f'DROP DATABASE IF EXISTS "{kept.name}" WITH (FORCE)')
            await server.execute(
                f'CREATE DATABASE "{kept.name}" TEMPLATE "{name}" STRATEGY FILE_COPY'
            )
    facts = {"engine": engine, "mentors": kept.mentors, "mentees": kept.mentees, "seed": SEED}
    kept.facts.write_text(json.dumps({**facts, "seconds": seconds}))


async def seed(url: str, engine: str, mentors: int, mentees: int) -> float:
    """Seed the empty database at `url`; the seconds the seeding took."""
    async with open_database(url):
        now = datetime.now(UTC)
        report = await seed_synthetic(mentors=mentors, mentees=mentees, seed=SEED, now=now)
        if engine == "postgres":
            # VACUUM too: autovacuum would, and index-only scans need the visibility map.
            await connection().execute_script("VACUUM ANALYZE")
    return report.seconds


async def _viewers(mentees: list[MenteeProfile]) -> list[MenteeProfile]:
    """The first VIEWERS as seeded, then FLAT_VIEWERS made flat: one topic, many languages."""
    flat = mentees[VIEWERS : VIEWERS + FLAT_VIEWERS]
    for profile in flat:
        await MenteeProfile.filter(id=profile.id).update(
            topics=[Topic.CAREER_PLANNING.value], languages=FLAT_LANGUAGES
        )
    ids = [p.id for p in mentees[: VIEWERS + FLAT_VIEWERS]]
    return list(await MenteeProfile.filter(id__in=ids).order_by("id"))


def _criteria(search: dict[str, Any]) -> search_rows.MentorSearch:
    return search_rows.MentorSearch(
        words=search_rows.words_of(search["text"]),
        topics=tuple(Topic(t) for t in search["topics"]),
        languages=tuple(search["languages"]),
    )


async def _check_exact(traits: list[MenteeTraits], count: int, now: datetime) -> str:
    db = connection()
    for table in ("relationship", "member_block"):
        counted = await db.execute_query_dict(f"SELECT COUNT(*) AS n FROM {table}")  # noqa: S608
        if int(counted[0]["n"]):
            return f"skipped: {table} has rows"
    rows = await discovery_exact.all_mentors()
    at = hour_of(now)
    problems = []
    # Flat viewers first: they are the hard case.
    for mentee in [*traits[VIEWERS:], *traits[:VIEWERS]][:count]:
        expected = discovery_exact.best(rows, mentee, WEIGHTS, at, 10)
        got = await suggestion_rows.best_mentors(mentee, WEIGHTS, first=10, at=at)
        if [(s.mentor_id, s.score) for s in got] != expected:
            problems.append(f"mentee {mentee.mentee_id}")
    for search in SEARCHES:
        matches = discovery_exact.matching(rows, search)
        criteria = _criteria(search)
        pages: list[int] = []
        after = None
        for _ in range(3):
            page = await search_rows.search_mentors(criteria, first=20, after_id=after)
            pages += [m.profile.id for m in page.mentors]
            if not page.has_next_page:
                break
            after = pages[-1]
        middle_after = matches[len(matches) // 2] if matches else None
        middle = await search_rows.search_mentors(criteria, first=20, after_id=middle_after)
        total = await search_rows.count_mentors(criteria)
        start = len(matches) // 2 + 1
        if (
            pages != matches[: len(pages)]
            or len(pages) < min(60, len(matches))
            or [m.profile.id for m in middle.mentors] != matches[start : start + 20]
            or total != len(matches)
        ):
            problems.append(f"search {search['text']!r}")
    checked = f"{min(count, len(traits))} top-10s, {len(SEARCHES)} searches"
    return f"FAILED {', '.join(problems)}" if problems else f"exact ({checked})"


async def prepare(
    url: str, engine: str, result: Result, requests: int, check: int, *, kept: bool
) -> list[str]:
    """Give the viewers a password, time the bare SQL, check exactness."""
    async with open_database(url):
        now = datetime.now(UTC)
        if engine == "postgres" and kept:
            # The copy's migrations may have added indexes or rewritten rows.
            await connection().execute_script("VACUUM ANALYZE")
        seeded = await MenteeProfile.filter(is_complete=True).order_by("id").limit(60)
        profiles = await _viewers(list(seeded))
        password_hash = PasswordHasher().hash(PASSWORD)
        users = {u.id: u for u in await User.filter(id__in=[p.user_id for p in profiles])}
        await User.filter(id__in=list(users)).update(password_hash=password_hash)
        traits = [MenteeTraits.of(profile, now) for profile in profiles]
        flat = [t for t in traits if len(t.languages) == len(FLAT_LANGUAGES)]
        criteria = [_criteria(s) for s in SEARCHES]
        at = hour_of(now)
        if engine == "postgres":
            # The load left a gigabyte of pages for the checkpointer to write,
            # which it spreads over minutes: written now, not during the timings.
            await connection().execute_script("CHECKPOINT")
            pool = await buffer_pool.measured()
            if pool is not None:
                result.search_mb = pool.search_table / buffer_pool.MB

        def scorer(viewers: list[MenteeTraits]) -> Callable[[int], Awaitable[object]]:
            async def score(index: int) -> object:
                mentee = viewers[index % len(viewers)]
                return await suggestion_rows.best_mentors(mentee, WEIGHTS, first=10, at=at)

            return score

        async def search(index: int) -> object:
            one = criteria[index % len(criteria)]
            page = await search_rows.search_mentors(one, first=20, after_id=None)
            return page, await search_rows.count_mentors(one)

        result.timings["SQL sugg"] = await _time(requests, scorer(traits))
        result.timings["SQL sugg flat"] = await _time(max(20, requests // 4), scorer(flat))
        result.timings["SQL search"] = await _time(requests, search, _counts_forgotten)
        if check:
            result.exact = await _check_exact(traits, check, now)
    return [users[p.user_id].email for p in profiles]


async def _over_http(base: str, emails: list[str], requests: int, result: Result) -> None:
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

        result.timings["HTTP sugg"] = await _time(requests, suggest)
        result.timings["HTTP search"] = await _time(requests, search, _version_moved)
        result.timings["HTTP search kept"] = await _time(requests, search)


async def measure(
    engine: str, mentors: int, mentees: int, requests: int, check: int, reuse: Path | None
) -> Result:
    result = Result(engine, mentors)
    # Tortoise caches each model's INSERT per connection name, not per engine:
    # after SQLite it would send `?` placeholders to PostgreSQL.
    EXECUTOR_CACHE.clear()
    kept = Kept(reuse, engine, mentors, mentees) if reuse is not None else None
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        async with kept_or_fresh(engine, folder, kept) as (url, seconds):
            if seconds is None:
                seconds = await seed(url, engine, mentors, mentees)
                if kept is not None:
                    await keep(url, engine, kept, seconds)
            else:
                result.reused = True
            result.seeding = seconds
            emails = await prepare(url, engine, result, requests, check, kept=result.reused)
            env = {
                "DATABASE_URL": url,
                "SECRET_KEY": "bench-secret-key-that-is-long-enough-for-hs256",
                "GRAPHIQL": "false",
            }
            # Open too: the bench moves the search version between searches.
            with uvicorn("app:app", env, folder) as base:
                async with open_database(url):
                    await _over_http(base, emails, requests, result)
    return result


def table(results: list[Result]) -> str:
    head = ["engine", "mentors", "seeding s", *(f"{c} p50/p95 ms" for c in COLUMNS), "exact"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        cells = [r.engine, f"{r.mentors:,}", f"{r.seeding:.1f}{' (kept)' if r.reused else ''}"]
        cells += [r.timings[c].cell() if c in r.timings else "-" for c in COLUMNS]
        lines.append("| " + " | ".join([*cells, r.exact]) + " |")
    return "\n".join(lines)


def plot(results: list[Result], path: Path) -> None:
    import matplotlib  # optional: the dev extra only

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(1, 2, figsize=(10, 4), sharey=True)
    for axis, label in zip(axes, ("HTTP sugg", "HTTP search"), strict=True):
        for engine in dict.fromkeys(r.engine for r in results):
            mine = sorted((r for r in results if r.engine == engine), key=lambda r: r.mentors)
            sizes = [r.mentors for r in mine]
            axis.plot(sizes, [r.timings[label].p50 for r in mine], "o-", label=f"{engine} p50")
            axis.plot(sizes, [r.timings[label].p95 for r in mine], "x--", label=f"{engine} p95")
        axis.set_xscale("log")
        axis.set_xlabel("mentors")
        axis.set_title(label)
        axis.grid(True, alpha=0.3)
    axes[0].set_ylabel("ms per request")
    axes[0].legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", choices=("sqlite", "postgres"), default=["sqlite"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--mentees", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--check-exact", type=int, default=0, metavar="N")
    parser.add_argument("--plot", type=Path, default=None)
    parser.add_argument(
        "--reuse",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep each seeded database (SQLite file in DIR, PostgreSQL template) and reuse it",
    )
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        for engine in args.engines:
            result = asyncio.run(
                measure(engine, size, args.mentees, args.requests, args.check_exact, args.reuse)
            )
            results.append(result)
            print(table([result]).splitlines()[-1], flush=True)
    print(table(results))
    if "postgres" in args.engines:
        print(asyncio.run(server_settings()))
        for result in results:
            if result.search_mb is not None:
                print(
                    f"mentor_search with its indexes at {result.mentors:,} mentors:"
                    f" {result.search_mb:,.0f} MB"
                )
    if args.plot:
        plot(results, args.plot)


if __name__ == "__main__":
    main()
