"""Synthetic seeding: deterministic, consistent with the completeness rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tortoise.context import TortoiseContext
from tortoise.models import Model

from orm import seed
from orm.database import open_database
from orm.models import MenteeProfile, MentorProfile, User
from orm.seed import (
    MENTEE_COLUMNS,
    MENTOR_COLUMNS,
    USER_COLUMNS,
    Batch,
    _ordered_picks,
    seed_synthetic,
)
from orm.sql import connection, dialect_of
from orm.vocabulary import topic_mask
from resolvers import completeness
from tests.postgres import scratch_database
from tests.support import migrated_sqlite

SEEDED_AT = datetime(2026, 1, 1, tzinfo=UTC)


async def _snapshot() -> list[tuple[object, ...]]:
    rows = (
        await MentorProfile.all()
        .order_by("id")
        .values_list("id", "country", "languages", "topics", "years_of_experience", "capacity")
    )
    return [tuple(str(value) for value in row) for row in rows]


async def test_the_same_seed_gives_the_same_profiles(db: TortoiseContext) -> None:
    await seed_synthetic(mentors=50, mentees=5, seed=42, now=SEEDED_AT)
    first = await _snapshot()
    await MentorProfile.all().delete()
    await User.all().delete()

    await seed_synthetic(mentors=50, mentees=5, seed=42, now=SEEDED_AT)

    assert await _snapshot() == first


async def test_seeded_profiles_agree_with_the_completeness_rules(db: TortoiseContext) -> None:
    await seed_synthetic(mentors=300, mentees=100, seed=3, now=SEEDED_AT)

    mentors = await MentorProfile.all()
    mentees = await MenteeProfile.all()
    assert all(row.is_complete == completeness.of_mentor(row).is_complete for row in mentors)
    assert all(row.is_complete == completeness.of_mentee(row).is_complete for row in mentees)
    incomplete = sum(not row.is_complete for row in mentors) / len(mentors)
    assert 0.03 < incomplete < 0.2, "some, but not most, profiles are incomplete"


async def test_seeded_mentors_carry_the_topic_mask_of_their_topics(db: TortoiseContext) -> None:
    await seed_synthetic(mentors=200, mentees=0, seed=5, now=SEEDED_AT)

    for mentor in await MentorProfile.all():
        assert mentor.topic_mask == topic_mask(mentor.topics)
        assert mentor.created_at == SEEDED_AT


async def test_the_mix_is_believable(db: TortoiseContext) -> None:
    await seed_synthetic(mentors=1000, mentees=0, seed=9, now=SEEDED_AT)

    mentors = await MentorProfile.all()
    countries = Counter(row.country for row in mentors)
    assert countries.most_common(1)[0][0] == "DE"
    assert len(countries) >= 10
    assert all(1 <= (row.capacity or 0) <= 5 for row in mentors)
    assert all(5 <= (row.years_of_experience or 0) <= 35 for row in mentors)
    assert sum("en" in row.languages for row in mentors) > 500


async def test_seeding_twice_adds_rows_after_the_existing_ones(db: TortoiseContext) -> None:
    await seed_synthetic(mentors=10, mentees=2, seed=1, now=SEEDED_AT)
    await seed_synthetic(mentors=10, mentees=2, seed=2, now=SEEDED_AT)

    assert await MentorProfile.all().count() == 20
    assert await User.all().count() == 24


# --- The bulk path stores what the models would store ---

SEARCH_ROWS = {
    # FTS5 keeps the indexed text itself: what a search matches and returns.
    "sqlite": "SELECT rowid, name, headline, bio, industry, field_of_study, tags"
    " FROM mentor_search ORDER BY rowid",
    "postgres": "SELECT mentor_id, document::text FROM mentor_search ORDER BY mentor_id",
}
MODELS: tuple[type[Model], ...] = (User, MentorProfile, MenteeProfile)


async def _stored() -> dict[str, list[dict[str, Any]]]:
    """Every seeded row as the database holds it (SQLite: the text and integers on disk)."""
    db = connection()
    stored = {}
    for model in MODELS:
        table = model._meta.db_table
        stored[table] = await db.execute_query_dict(f'SELECT * FROM "{table}" ORDER BY id')  # noqa: S608
    stored["mentor_search"] = await db.execute_query_dict(SEARCH_ROWS[dialect_of(db)])
    return stored


def _values(instance: Model) -> dict[str, Any]:
    """A model instance's stored fields, the profiles' user_id included."""
    names = [*instance._meta.fields_db_projection]
    if not isinstance(instance, User):
        names.append("user_id")
    return {name: getattr(instance, name) for name in names}


async def _through_the_models() -> dict[str, list[dict[str, Any]]]:
    """Every seeded row as the models read it."""
    return {
        model._meta.db_table: [_values(row) for row in await model.all().order_by("id")]
        for model in MODELS
    }


# The schema's objects as the migrations made them: the load sets some aside.
CATALOG = {
    "sqlite": "SELECT type, name, sql FROM sqlite_master ORDER BY type, name",
    "postgres": """
        SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
        UNION ALL SELECT 'constraint', conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE connamespace = 'public'::regnamespace
        UNION ALL SELECT 'trigger', tgname, tgenabled::text || pg_get_triggerdef(oid)
            FROM pg_trigger WHERE NOT tgisinternal
        ORDER BY 1, 2""",
}


async def _catalog() -> list[dict[str, Any]]:
    db = connection()
    return await db.execute_query_dict(CATALOG[dialect_of(db)])


def _with_suspended_members(monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed's rows, with every fifth member suspended (the seed suspends no one)."""
    rows = seed.synthetic_rows
    at = USER_COLUMNS.index("suspended_at")
    stamp = USER_COLUMNS.index("created_at")

    def suspending(*args: Any, **kwargs: Any) -> Iterator[Batch]:
        for batch in rows(*args, **kwargs):
            batch.users = [
                (*user[:at], user[stamp], *user[at + 1 :]) if user[0] % 5 == 0 else user
                for user in batch.users
            ]
            yield batch

    monkeypatch.setattr(seed, "synthetic_rows", suspending)


async def _the_bulk_rows_equal_the_model_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    before = await _catalog()
    _with_suspended_members(monkeypatch)
    await seed_synthetic(mentors=60, mentees=15, seed=4, now=SEEDED_AT)
    assert await _catalog() == before
    bulk = await _stored()
    read = await _through_the_models()
    # Both engines index the findable mentors only (migrations 0017 and 0020).
    indexed = {row.get("mentor_id", row.get("rowid")) for row in bulk["mentor_search"]}
    suspended = {row["id"] for row in bulk["user"] if row["suspended_at"] is not None}
    complete = {row["id"] for row in bulk["mentor_profile"] if row["is_complete"]}
    findable = {
        row["id"]
        for row in bulk["mentor_profile"]
        if row["is_complete"] and row["user_id"] not in suspended
    }
    assert indexed == findable
    assert 0 < len(findable) < len(complete) < 60

    # The same people again, created the old way: model instances, bulk_create,
    # and the search index written by its triggers, row by row.
    for model in reversed(MODELS):
        await model.all().delete()
    for model in MODELS:
        await model.bulk_create([model(**values) for values in read[model._meta.db_table]])
    by_models = await _stored()

    for table in ("user", "mentor_profile", "mentee_profile"):
        for fast, slow in zip(bulk[table], by_models[table], strict=True):
            # Tortoise's auto_now overwrites the moment the seed gives with the
            # wall clock; the bulk rows keep the seed's: created, not changed since.
            if "updated_at" in fast:
                assert fast.pop("updated_at") == fast["created_at"]
                slow.pop("updated_at")
            assert fast == slow
    assert bulk["mentor_search"] == by_models["mentor_search"]
    again = await _through_the_models()
    for table, rows in read.items():
        for row in rows + again[table]:
            row.pop("updated_at", None)
        assert rows == again[table]


async def test_bulk_rows_equal_what_the_models_store_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with open_database(migrated_sqlite(tmp_path / "seeded.sqlite3")):
        await _the_bulk_rows_equal_the_model_rows(monkeypatch)


@pytest.mark.services
async def test_bulk_rows_equal_what_the_models_store_on_postgres(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with scratch_database(migrated=True) as url, open_database(url):
        await _the_bulk_rows_equal_the_model_rows(monkeypatch)


def test_every_column_of_the_models_is_written() -> None:
    """A column left out would get the table's default, which need not be the model's."""
    for model, columns in zip(MODELS, (USER_COLUMNS, MENTOR_COLUMNS, MENTEE_COLUMNS), strict=True):
        stored = {
            model._meta.fields_db_projection.get(name, name) for name in model._meta.db_fields
        }
        assert set(columns) == stored | ({"user_id"} if model is not User else set())
        assert len(columns) == len(set(columns))


def test_ordered_picks_have_the_probabilities_of_drawing_one_at_a_time() -> None:
    """One or two of three items by weight, without repeats: worked out by hand."""
    picks = dict(_ordered_picks({"a": 1, "b": 2, "c": 3}, (1, 2)))

    assert picks[("c",)] == pytest.approx(3 / 6 / 2)
    assert picks[("a", "b")] == pytest.approx(1 / 6 * 2 / 5 / 2)
    assert picks[("c", "a")] == pytest.approx(3 / 6 * 1 / 3 / 2)
    assert len(picks) == 3 + 6
    assert sum(picks.values()) == pytest.approx(1)
