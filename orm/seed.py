"""Deterministic synthetic data: realistic profiles, bulk-inserted.

The same `seed` gives the same rows. Mixes are weighted toward the community
this service is for (alumni of a German university, spread worldwide), and
about one profile in ten is left incomplete, as real profiles are.

Seeded accounts cannot sign in (their password hash matches nothing), except
the demo accounts, whose password is DEMO_PASSWORD.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from time import perf_counter
from typing import Any

from tortoise.functions import Max
from tortoise.transactions import in_transaction

from orm import sql
from orm.bulk_load import deferred_indexes
from orm.member_keys import MessageKeys
from orm.messages import add_message
from orm.models import MenteeProfile, MentorProfile, Relationship, User
from orm.progress import SILENT, Progress, Task
from orm.vocabulary import Channel, RelationshipStatus, Situation, Topic, topic_mask

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

    def __str__(self) -> str:
        people = self.mentors + self.mentees
        rate = people / self.seconds if self.seconds > 0 else 0.0
        return (
            f"seeded {self.mentors} mentors and {self.mentees} mentees in {self.seconds:.1f} s"
            f" ({rate:,.0f} profiles/s)"
        )


def _pick_weighted(rng: random.Random, weights: dict[Any, int], k: int) -> list[Any]:
    chosen: list[Any] = []
    pool = dict(weights)
    for _ in range(min(k, len(pool))):
        item = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(item)
        del pool[item]
    return chosen


class _Person:
    """One synthetic person's shared profile values."""

    def __init__(self, rng: random.Random, *, senior: bool) -> None:
        codes = list(COUNTRIES)
        self.country = rng.choices(codes, weights=[COUNTRIES[c][0] for c in codes])[0]
        _, cities, self.timezone, local = COUNTRIES[self.country]
        self.city = rng.choice(cities)
        languages = [local]
        if local != "en" and rng.random() < 0.8:
            languages.append("en")
        if local != "de" and rng.random() < 0.45:
            languages.append("de")
        self.languages = languages
        self.first = rng.choice(FIRST_NAMES)
        self.last = rng.choice(LAST_NAMES)
        self.industry = rng.choice(INDUSTRIES) if rng.random() < 0.85 else None
        self.field_of_study = rng.choice(FIELDS_OF_STUDY)
        self.years = rng.randint(5, 35) if senior else rng.randint(0, 6)
        self.topics = [t.value for t in _pick_weighted(rng, TOPIC_WEIGHTS, rng.randint(1, 4))]
        self.channels = [c.value for c in rng.sample(list(Channel), rng.randint(1, 3))]
        self.incomplete = rng.random() < 0.1

    def shared(self, headline: str, bio: str) -> dict[str, Any]:
        return {
            "headline": headline,
            "bio": None if self.incomplete else bio,
            "country": self.country,
            "city": self.city,
            "timezone": self.timezone,
            "languages": self.languages,
            "industry": self.industry,
            "field_of_study": self.field_of_study,
            "years_of_experience": self.years,
            "topics": self.topics,
            "channels": self.channels,
        }


async def _next_ids() -> tuple[int, int, int]:
    async def top(model: Any) -> int:
        row = await model.annotate(top=Max("id")).first().values("top")
        return int((row or {}).get("top") or 0) + 1

    return await top(User), await top(MentorProfile), await top(MenteeProfile)


async def _insert(model: Any, rows: Sequence[Any], inserting: Task) -> None:
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        await model.bulk_create(batch)
        inserting.advance(len(batch))


async def seed_synthetic(
    *, mentors: int, mentees: int, seed: int, now: datetime, progress: Progress = SILENT
) -> SeedReport:
    """`now` stamps the rows' creation (the service's clock, from the caller)."""
    started = perf_counter()
    rng = random.Random(seed)
    user_id, mentor_id, mentee_id = await _next_ids()
    users: list[User] = []
    mentor_rows: list[MentorProfile] = []
    mentee_rows: list[MenteeProfile] = []
    building = progress.task("building profiles", mentors + mentees)
    for index in range(mentors + mentees):
        if index % PROGRESS_STEP == 0 and index:
            building.advance(PROGRESS_STEP)
        is_mentor = index < mentors
        person = _Person(rng, senior=is_mentor)
        users.append(
            User(
                id=user_id,
                email=f"seed{seed}-{user_id}@example.org",
                display_name=f"{person.first} {person.last}",
                password_hash=UNUSABLE_PASSWORD_HASH,
                created_at=now,
            )
        )
        field_label = person.industry or person.field_of_study
        if is_mentor:
            role = rng.choice(ROLES)
            capacity = rng.choices((1, 2, 3, 4, 5), weights=(3, 4, 3, 1, 1))[0]
            values = person.shared(
                f"{role} in {field_label}",
                f"{role} with {person.years} years in {field_label}, based in {person.city}. "
                f"Studied {person.field_of_study}; happy to help with "
                f"{', '.join(Topic(t).label.lower() for t in person.topics)}.",
            )
            mentor_rows.append(
                MentorProfile(
                    id=mentor_id,
                    user_id=user_id,
                    capacity=capacity,
                    accepting_mentees=rng.random() < 0.85,
                    is_complete=not person.incomplete,
                    topic_mask=topic_mask(person.topics),
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
            mentor_id += 1
        else:
            situation = _pick_weighted(rng, SITUATION_WEIGHTS, 1)[0]
            target = rng.choice(list(COUNTRIES)) if situation is Situation.RELOCATION else None
            values = person.shared(
                f"{person.field_of_study} graduate, {situation.value.replace('_', ' ').lower()}",
                f"Graduate in {person.field_of_study} from {person.city}, looking for guidance.",
            )
            mentee_rows.append(
                MenteeProfile(
                    id=mentee_id,
                    user_id=user_id,
                    situation=situation.value,
                    target_country=target,
                    is_complete=not person.incomplete,
                    goals=f"Get clarity on my next step in {field_label}.",
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
            mentee_id += 1
        user_id += 1
    if mentors + mentees:  # what the loop built since its last report
        building.advance(
            mentors + mentees - PROGRESS_STEP * ((mentors + mentees - 1) // PROGRESS_STEP)
        )
    building.finish()
    first_mentor_id = mentor_id - len(mentor_rows)
    inserting = progress.task("inserting rows", len(users) + len(mentor_rows) + len(mentee_rows))
    async with in_transaction() as db:
        async with deferred_indexes(db, first_mentor_id):
            await _insert(User, users, inserting)
            await _insert(MentorProfile, mentor_rows, inserting)
            await _insert(MenteeProfile, mentee_rows, inserting)
            await _advance_sequences()
            inserting.finish()
            # The search indexes rebuilt and the whole load committed: no count, one step.
            indexing = progress.task("indexing and committing", 1)
        indexing.advance()
    indexing.finish()
    return SeedReport(mentors=mentors, mentees=mentees, seconds=perf_counter() - started)


async def _advance_sequences() -> None:
    """PostgreSQL: move id sequences past the explicitly numbered seeded rows."""
    connection = sql.connection()
    if connection.capabilities.dialect != "postgres":
        return
    for model in (User, MentorProfile, MenteeProfile):
        table = model.describe(serializable=False)["table"]
        await connection.execute_script(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608 - table names are ours
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
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
