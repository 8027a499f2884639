"""Deterministic synthetic data: realistic profiles, bulk-inserted.

The same `seed` gives the same rows. Mixes are weighted toward the community
this service is for (alumni of a German university, spread worldwide), and
about one profile in ten is left incomplete, as real profiles are.

Seeded accounts cannot sign in (their password hash matches nothing), except
the demo accounts, whose password is DEMO_PASSWORD.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import random
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from time import perf_counter
from typing import Any, Generic, NamedTuple, TypeVar

from tortoise.functions import Max
from tortoise.models import Model
from tortoise.transactions import in_transaction

from orm.bulk_load import BulkLoader
from orm.compat_tortoise import field_default, stored_value
from orm.member_keys import MessageKeys
from orm.messages import add_message
from orm.models import MenteeProfile, MentorProfile, Relationship, User
from orm.progress import SILENT, Progress
from orm.vocabulary import Channel, RelationshipStatus, Situation, Topic, topic_mask

T = TypeVar("T")

DEMO_PASSWORD = "mentoring-demo"  # noqa: S105 - documented demo credential
DEMO_MENTOR_EMAIL = "mentor@demo.example"
DEMO_MENTEE_EMAIL = "mentee@demo.example"
UNUSABLE_PASSWORD_HASH = "!seeded-account-without-password"  # noqa: S105
BATCH = 5000
# Profiles built between two reports of progress.
PROGRESS_STEP = 500

# country: (weight, cities, time zone, local language)
COUNTRIES: dict[str, tuple[int, tuple[str, ...], str, str]] = {
    "DE": (
        30,
        ("Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Leipzig"),
        "Europe/Berlin",
        "de",
    ),
    "AT": (5, ("Wien", "Graz", "Linz"), "Europe/Vienna", "de"),
    "CH": (5, ("Zürich", "Basel", "Genève"), "Europe/Zurich", "de"),
    "FR": (4, ("Paris", "Lyon", "Toulouse"), "Europe/Paris", "fr"),
    "NL": (3, ("Amsterdam", "Rotterdam", "Utrecht"), "Europe/Amsterdam", "nl"),
    "ES": (3, ("Madrid", "Barcelona", "Valencia"), "Europe/Madrid", "es"),
    "IT": (3, ("Milano", "Roma", "Torino"), "Europe/Rome", "it"),
    "PL": (3, ("Warszawa", "Kraków", "Wrocław"), "Europe/Warsaw", "pl"),
    "GB": (5, ("London", "Manchester", "Edinburgh"), "Europe/London", "en"),
    "US": (8, ("New York", "San Francisco", "Boston", "Chicago"), "America/New_York", "en"),
    "CA": (2, ("Toronto", "Vancouver", "Montréal"), "America/Toronto", "en"),
    "BR": (2, ("São Paulo", "Rio de Janeiro"), "America/Sao_Paulo", "pt"),
    "TR": (3, ("İstanbul", "Ankara", "İzmir"), "Europe/Istanbul", "tr"),
    "IN": (4, ("Bengaluru", "Mumbai", "Pune"), "Asia/Kolkata", "hi"),
    "CN": (3, ("Shanghai", "Beijing", "Shenzhen"), "Asia/Shanghai", "zh"),
    "JP": (2, ("Tokyo", "Osaka"), "Asia/Tokyo", "ja"),
    "SG": (1, ("Singapore",), "Asia/Singapore", "en"),
    "AU": (1, ("Sydney", "Melbourne"), "Australia/Sydney", "en"),
    "ZA": (1, ("Cape Town", "Johannesburg"), "Africa/Johannesburg", "en"),
    "EG": (1, ("Cairo",), "Africa/Cairo", "ar"),
}
INDUSTRIES = (
    "Automotive",
    "Banking",
    "Biotechnology",
    "Chemicals",
    "Consulting",
    "Education",
    "Energy",
    "Healthcare",
    "Insurance",
    "Logistics",
    "Manufacturing",
    "Media",
    "Public sector",
    "Research",
    "Retail",
    "Software",
    "Telecommunications",
)
FIELDS_OF_STUDY = (
    "Biology",
    "Business administration",
    "Chemistry",
    "Computer science",
    "Economics",
    "Electrical engineering",
    "History",
    "Law",
    "Mathematics",
    "Mechanical engineering",
    "Medicine",
    "Physics",
    "Political science",
    "Psychology",
    "Sociology",
)
ROLES = (
    "Engineer",
    "Team lead",
    "Product manager",
    "Consultant",
    "Researcher",
    "Head of department",
    "Data scientist",
    "Project manager",
    "Founder",
    "Analyst",
    "HR business partner",
    "Physician",
)
FIRST_NAMES = (
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elif",
    "Felix",
    "Greta",
    "Hannah",
    "Ivan",
    "Jana",
    "Kemal",
    "Lena",
    "Mateo",
    "Nina",
    "Omar",
    "Paula",
    "Quentin",
    "Rosa",
    "Sven",
    "Tanja",
    "Umut",
    "Vera",
    "Wei",
    "Xenia",
    "Yusuf",
    "Zoe",
    "Aisha",
    "Jonas",
    "Mei",
    "Priya",
)
LAST_NAMES = (
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Yılmaz",  # noqa: RUF001 - the Turkish dotless i, on purpose
    "Kaya",
    "Nowak",
    "Rossi",
    "García",
    "Martin",
    "Smith",
    "Chen",
    "Wang",
    "Kumar",
    "Sato",
    "Silva",
    "Okafor",
    "Haddad",
    "Novak",
    "Jansen",
    "Dubois",
)
TOPIC_WEIGHTS = {
    Topic.CAREER_PLANNING: 9,
    Topic.APPLICATION_STRATEGY: 7,
    Topic.SOFT_SKILLS: 5,
    Topic.LEADERSHIP: 5,
    Topic.INTERCULTURAL_COMMUNICATION: 4,
    Topic.SUBJECT_EXPERTISE: 6,
    Topic.SELF_MARKETING: 3,
    Topic.NETWORKING: 6,
}
SITUATION_WEIGHTS = {
    Situation.STUDIES: 3,
    Situation.CAREER_ENTRY: 8,
    Situation.CAREER_REENTRY: 3,
    Situation.JOB_CHANGE: 6,
    Situation.RELOCATION: 4,
    Situation.OTHER: 1,
}


@dataclass(frozen=True)
class SeedReport:
    mentors: int
    mentees: int
    seconds: float
    # Seconds per phase, in order: waiting for rows to be built (they are built
    # while the batch before is written), writing them, and the deferred index
    # work with the commit.
    phases: tuple[tuple[str, float], ...] = ()

    def __str__(self) -> str:
        people = self.mentors + self.mentees
        rate = people / self.seconds if self.seconds > 0 else 0.0
        return (
            f"seeded {self.mentors} mentors and {self.mentees} mentees in {self.seconds:.1f} s"
            f" ({rate:,.0f} profiles/s)"
        )


class _Draw(Generic[T]):
    """Outcomes with their probabilities: one uniform number in [0, 1) picks one.

    Drawing a profile one attribute at a time took a dozen calls into `random`
    per person, each a few hundred nanoseconds (weighted choices rebuild their
    weights every call). Attributes that are drawn together are tabulated once
    here as the joint outcomes with their exact probabilities, so that one
    `random()` and a bisection pick them all, from the same distribution.
    """

    def __init__(self, weighted: Iterable[tuple[T, float]]) -> None:
        pairs = [(outcome, weight) for outcome, weight in weighted if weight > 0]
        whole = math.fsum(weight for _, weight in pairs)
        self.outcomes = [outcome for outcome, _ in pairs]
        self.bounds = list(itertools.accumulate(weight / whole for _, weight in pairs))
        # Rounding must leave no gap below 1 for a draw to fall into.
        self.bounds[-1] = 1.0

    def __call__(self, uniform: float) -> T:
        return self.outcomes[bisect_right(self.bounds, uniform)]


def _ordered_picks(
    weights: dict[T, int], sizes: Sequence[int]
) -> list[tuple[tuple[T, ...], float]]:
    """Every ordered pick of distinct items with its probability: the size uniform among
    `sizes`, then each item drawn by weight among those left (as drawing them one at a
    time with `random.choices`, each taken out of the pool once drawn, would)."""
    picks: list[tuple[tuple[T, ...], float]] = []

    def extend(chosen: tuple[T, ...], left: dict[T, int], probability: float, size: int) -> None:
        if len(chosen) == size:
            picks.append((chosen, probability / len(sizes)))
            return
        whole = sum(left.values())
        for item, weight in left.items():
            rest = {other: w for other, w in left.items() if other != item}
            extend((*chosen, item), rest, probability * weight / whole, size)

    for size in sizes:
        extend((), dict(weights), 1.0, min(size, len(weights)))
    return picks


class _Place(NamedTuple):
    country: str
    city: str
    timezone: str
    languages: str  # as stored: the JSON list


class _Work(NamedTuple):
    industry: str | None
    field_of_study: str
    label: str  # the industry, or the field of study without one


class _Topics(NamedTuple):
    stored: str  # the JSON list
    mask: int
    labels: str  # for a mentor's bio


def _stored(model: type[Model], name: str, value: Any) -> Any:
    """`value` as the model's field hands it to the driver (JSON text, aware datetimes)."""
    return stored_value(model, name, value)


def _places() -> _Draw[_Place]:
    """Country (by weight), one of its cities, and the languages spoken: the local one,
    English for four in five where it is not local, German for 45% where it is not."""
    whole = sum(weight for weight, *_ in COUNTRIES.values())
    outcomes: list[tuple[_Place, float]] = []
    for code, (weight, cities, timezone, local) in COUNTRIES.items():
        english = 0.8 if local != "en" else 0.0
        german = 0.45 if local != "de" else 0.0
        for city in cities:
            for with_en, with_de in itertools.product((False, True), repeat=2):
                languages = [local] + ["en"] * with_en + ["de"] * with_de
                probability = (
                    weight
                    / whole
                    / len(cities)
                    * (english if with_en else 1 - english)
                    * (german if with_de else 1 - german)
                )
                stored = _stored(MentorProfile, "languages", languages)
                outcomes.append((_Place(code, city, timezone, stored), probability))
    return _Draw(outcomes)


def _work() -> _Draw[_Work]:
    """An industry for 85% (uniform), and a field of study (uniform)."""
    industries: list[tuple[str | None, float]] = [
        (name, 0.85 / len(INDUSTRIES)) for name in INDUSTRIES
    ]
    industries.append((None, 0.15))
    return _Draw(
        (_Work(industry, field, industry or field), p / len(FIELDS_OF_STUDY))
        for industry, p in industries
        for field in FIELDS_OF_STUDY
    )


def _topics() -> _Draw[_Topics]:
    """One to four topics, drawn by weight without repeats, in the order drawn."""
    return _Draw(
        (
            _Topics(
                _stored(MentorProfile, "topics", [t.value for t in picked]),
                topic_mask(t.value for t in picked),
                ", ".join(t.label.lower() for t in picked),
            ),
            probability,
        )
        for picked, probability in _ordered_picks(TOPIC_WEIGHTS, range(1, 5))
    )


def _channels() -> _Draw[str]:
    """One to three channels, in random order (a uniform sample)."""
    return _Draw(
        (_stored(MentorProfile, "channels", [c.value for c in picked]), probability)
        for picked, probability in _ordered_picks(dict.fromkeys(Channel, 1), range(1, 4))
    )


def _offers() -> _Draw[tuple[str, int]]:
    """A mentor's role (uniform) and capacity (weighted toward two)."""
    capacities = {1: 3, 2: 4, 3: 3, 4: 1, 5: 1}
    whole = sum(capacities.values())
    return _Draw(
        ((role, capacity), weight / whole / len(ROLES))
        for role in ROLES
        for capacity, weight in capacities.items()
    )


def _situations() -> _Draw[tuple[str, str, str | None]]:
    """A mentee's situation (weighted), its words for a headline, and a target country
    (uniform) for those relocating."""
    whole = sum(SITUATION_WEIGHTS.values())
    outcomes: list[tuple[tuple[str, str, str | None], float]] = []
    for situation, weight in SITUATION_WEIGHTS.items():
        words = situation.value.replace("_", " ").lower()
        targets: list[str | None] = list(COUNTRIES) if situation is Situation.RELOCATION else [None]
        outcomes.extend(
            ((situation.value, words, target), weight / whole / len(targets)) for target in targets
        )
    return _Draw(outcomes)


# The columns written, in the order of the rows built below. Every column the
# models have is written, defaults included, so that a row holds exactly what
# creating it through the model would store (tests/orm/test_seed.py).
USER_COLUMNS = (
    "id",
    "email",
    "display_name",
    "password_hash",
    "created_at",
    "locale",
    "suspended_at",
    "erased_at",
)
PROFILE_COLUMNS = (
    "id",
    "user_id",
    "headline",
    "bio",
    "country",
    "city",
    "timezone",
    "languages",
    "industry",
    "field_of_study",
    "years_of_experience",
    "topics",
    "channels",
    "contact_links",
    "is_complete",
    "created_at",
    "updated_at",
)
MENTOR_COLUMNS = (
    *PROFILE_COLUMNS,
    "capacity",
    "accepting_mentees",
    "mentee_count",
    "topic_mask",
    "requests_decided",
    "answered_quickly",
)
MENTEE_COLUMNS = (*PROFILE_COLUMNS, "situation", "target_country", "goals")

Row = tuple[Any, ...]


@dataclass
class Batch:
    """Rows to insert together, users first (the profiles refer to them)."""

    users: list[Row] = field(default_factory=list)
    mentors: list[Row] = field(default_factory=list)
    mentees: list[Row] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.users) + len(self.mentors) + len(self.mentees)


@dataclass(frozen=True)
class FirstIds:
    user: int
    mentor: int
    mentee: int


def synthetic_rows(
    *,
    mentors: int,
    mentees: int,
    seed: int,
    now: datetime,
    first: FirstIds,
    batch: int = BATCH,
    built: Callable[[int], object] = lambda count: None,
) -> Iterator[Batch]:
    """The profiles of `seed_synthetic`, `batch` people at a time, as rows in column order.

    Mentors come first, then mentees; ids count up from `first`. The same
    `seed` gives the same rows. `built(n)` is told every `PROGRESS_STEP` people.
    """
    rng = random.Random(seed)
    uniform = rng.random
    places, work, topics, channels = _places(), _work(), _topics(), _channels()
    offers, situations = _offers(), _situations()
    names = [f"{first_name} {last}" for first_name in FIRST_NAMES for last in LAST_NAMES]
    stamp = _stored(User, "created_at", now)
    locale = _stored(User, "locale", field_default(User, "locale"))
    no_links = _stored(MentorProfile, "contact_links", [])
    complete = _stored(MentorProfile, "is_complete", True)
    incomplete = _stored(MentorProfile, "is_complete", False)
    accepting = _stored(MentorProfile, "accepting_mentees", True)
    not_accepting = _stored(MentorProfile, "accepting_mentees", False)
    user_id, mentor_id, mentee_id = first.user, first.mentor, first.mentee
    rows = Batch()
    total = mentors + mentees
    for index in range(total):
        if index % PROGRESS_STEP == 0 and index:
            built(PROGRESS_STEP)
        place = places(uniform())
        name = names[int(uniform() * len(names))]
        job = work(uniform())
        rows.users.append(
            (
                user_id,
                f"seed{seed}-{user_id}@example.org",
                name,
                UNUSABLE_PASSWORD_HASH,
                stamp,
                locale,
                None,
                None,
            )
        )
        is_mentor = index < mentors
        years = 5 + int(uniform() * 31) if is_mentor else int(uniform() * 7)
        chosen = topics(uniform())
        shown = channels(uniform())
        is_complete = uniform() >= 0.1
        own: Row  # the columns after PROFILE_COLUMNS
        if is_mentor:
            role, capacity = offers(uniform())
            headline = f"{role} in {job.label}"
            bio = (
                f"{role} with {years} years in {job.label}, based in {place.city}. "
                f"Studied {job.field_of_study}; happy to help with {chosen.labels}."
            )
            accepts = accepting if uniform() < 0.85 else not_accepting
            own = (capacity, accepts, 0, chosen.mask, 0, 0)
            table, profile_id = rows.mentors, mentor_id
            mentor_id += 1
        else:
            situation, words, target = situations(uniform())
            headline = f"{job.field_of_study} graduate, {words}"
            bio = f"Graduate in {job.field_of_study} from {place.city}, looking for guidance."
            own = (situation, target, f"Get clarity on my next step in {job.label}.")
            table, profile_id = rows.mentees, mentee_id
            mentee_id += 1
        table.append(
            (
                profile_id,
                user_id,
                headline,
                bio if is_complete else None,
                *place,
                job.industry,
                job.field_of_study,
                years,
                chosen.stored,
                shown,
                no_links,
                complete if is_complete else incomplete,
                stamp,
                stamp,
                *own,
            )
        )
        user_id += 1
        if len(rows.users) == batch:
            yield rows
            rows = Batch()
    if total:  # what was built since the last report
        built(total - PROGRESS_STEP * ((total - 1) // PROGRESS_STEP))
    if rows.users:
        yield rows


async def _next_ids() -> FirstIds:
    async def top(model: Any) -> int:
        row = await model.annotate(top=Max("id")).first().values("top")
        return int((row or {}).get("top") or 0) + 1

    return FirstIds(await top(User), await top(MentorProfile), await top(MenteeProfile))


async def seed_synthetic(
    *, mentors: int, mentees: int, seed: int, now: datetime, progress: Progress = SILENT
) -> SeedReport:
    """`now` stamps the rows' creation (the service's clock, from the caller).

    Rows are built and written a batch at a time, in one transaction, with
    the search index and the partial indexes over mentors brought up to date
    once at the end (`orm.bulk_load`).
    """
    started = perf_counter()
    first = await _next_ids()
    building = progress.task("building profiles", mentors + mentees)
    inserting = progress.task("inserting rows", 2 * (mentors + mentees))
    loop = asyncio.get_running_loop()
    rows = synthetic_rows(
        mentors=mentors,
        mentees=mentees,
        seed=seed,
        now=now,
        first=first,
        # Told from the building thread: the progress is shown from this one.
        built=lambda count: loop.call_soon_threadsafe(building.advance, count),
    )
    waited = written = 0.0
    async with in_transaction() as db:
        loader = BulkLoader(db)
        async with loader.deferred_indexes(first.mentor):
            # The next batch is built in a thread while this one is written: the
            # writing waits on SQLite's thread or on the PostgreSQL server most of
            # the time. One batch at a time from one generator: the same rows.
            upcoming = asyncio.ensure_future(asyncio.to_thread(next, rows, None))
            while True:
                began = perf_counter()
                batch = await upcoming
                waited += perf_counter() - began
                if batch is None:
                    break
                upcoming = asyncio.ensure_future(asyncio.to_thread(next, rows, None))
                began = perf_counter()
                await loader.insert(User, USER_COLUMNS, batch.users)
                await loader.insert(MentorProfile, MENTOR_COLUMNS, batch.mentors)
                await loader.insert(MenteeProfile, MENTEE_COLUMNS, batch.mentees)
                written += perf_counter() - began
                inserting.advance(len(batch))
            building.finish()
            await loader.advance_sequences((User, MentorProfile, MenteeProfile))
            inserting.finish()
            # The indexes rebuilt and the whole load committed: no count, one step.
            indexing = progress.task("indexing and committing", 1)
            indexing_began = perf_counter()
        indexing.advance()
    indexing.finish()
    phases = (
        ("waiting for rows", waited),
        ("inserting", written),
        ("indexing and committing", perf_counter() - indexing_began),
    )
    return SeedReport(
        mentors=mentors, mentees=mentees, seconds=perf_counter() - started, phases=phases
    )


async def seed_demo_if_empty(password_hash: str, keys: MessageKeys, *, now: datetime) -> bool:
    """On an empty database: two demo accounts with complete profiles, in an accepted
    relationship with a short conversation (sealed like any message), plus a small crowd."""
    if await User.exists():
        return False
    async with in_transaction():
        mentor_user = await User.create(
            email=DEMO_MENTOR_EMAIL,
            display_name="Dana Demo (mentor)",
            password_hash=password_hash,
            created_at=now,
        )
        mentee_user = await User.create(
            email=DEMO_MENTEE_EMAIL,
            display_name="Milan Demo (mentee)",
            password_hash=password_hash,
            created_at=now,
        )
        topics = [
            Topic.CAREER_PLANNING.value,
            Topic.APPLICATION_STRATEGY.value,
            Topic.NETWORKING.value,
        ]
        mentor = await MentorProfile.create(
            user=mentor_user,
            created_at=now,
            headline="Engineering manager in Software",
            is_complete=True,
            bio="Twelve years in software, from developer to engineering manager in Berlin.",
            country="DE",
            city="Berlin",
            timezone="Europe/Berlin",
            languages=["de", "en"],
            industry="Software",
            field_of_study="Computer science",
            years_of_experience=12,
            topics=topics,
            topic_mask=topic_mask(topics),
            channels=[Channel.PRIVATE_MESSAGE.value, Channel.VIDEO_CALL.value],
            capacity=3,
            accepting_mentees=True,
        )
        mentee = await MenteeProfile.create(
            user=mentee_user,
            created_at=now,
            headline="Computer science graduate, career entry",
            is_complete=True,
            bio="Just finished my master's degree and looking for my first role in software.",
            country="DE",
            city="Leipzig",
            timezone="Europe/Berlin",
            languages=["de", "en"],
            field_of_study="Computer science",
            years_of_experience=1,
            situation=Situation.CAREER_ENTRY.value,
            goals="Find a first job as a developer.",
            topics=[Topic.CAREER_PLANNING.value, Topic.APPLICATION_STRATEGY.value],
            channels=[Channel.PRIVATE_MESSAGE.value],
        )
        await _demo_conversation(keys, mentor, mentee, now)
    await seed_synthetic(mentors=300, mentees=30, seed=1, now=now)
    return True


DEMO_CONVERSATION = (
    (
        "mentee",
        "Hello Dana! I have just finished my master's degree in computer science and would "
        "love your advice on landing a first developer role in Berlin.",
    ),
    ("mentor", "Welcome, Milan! Happy to help. Shall we start with your CV?"),
    ("mentee", "Yes, please. I will share the current version this week."),
)


async def _demo_conversation(
    keys: MessageKeys, mentor: MentorProfile, mentee: MenteeProfile, now: datetime
) -> None:
    """The demo users' accepted relationship, with a few messages to show."""
    relationship = await Relationship.create(
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        status=RelationshipStatus.ACCEPTED.value,
        request_topics=[Topic.CAREER_PLANNING.value],
        created_at=now,
        responded_at=now,
    )
    # Accepted relationships hold one of the mentor's places.
    await MentorProfile.filter(id=mentor.id).update(mentee_count=1)
    senders = {"mentor": mentor.user_id, "mentee": mentee.user_id}
    for side, body in DEMO_CONVERSATION:
        await add_message(
            keys, relationship_id=relationship.id, sender_id=senders[side], body=body, at=now
        )
    # Both have read the conversation so far: the demo starts without badges.
    read = len(DEMO_CONVERSATION)
    await Relationship.filter(id=relationship.id).update(mentor_read_seq=read, mentee_read_seq=read)
