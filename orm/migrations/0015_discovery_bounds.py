"""Discovery at a million mentors: indexes that let the suggestion bound seek, not scan.

The suggestion query (`orm.suggestions.best_mentors`) is a threshold
algorithm: once a sample gives a lower bound of the k-th best score, only
mentors whose upper bound reaches it are read. These partial indexes, over
the mentors that can be suggested at all (the condition of
`mentor_suggestion_idx`), turn that bound into seeks:

- `mentor_alike_idx` (industry, field of study, topic mask) and
  `mentor_field_idx` (field of study, topic mask), both compared
  case-insensitively as scoring compares them (`lower()` on both sides):
  when missing the mentee's industry or field loses more points than the
  threshold leaves, only the mentors who share it are read;
- `mentor_language_count_idx`: the most languages any such mentor lists, one
  index seek, so that a mentee who lists thirteen languages is not bounded as
  if a mentor could share all thirteen.

Indexes only: nothing to backfill, and the writes that change a mentor's row
(profile saves, a place taken or freed) update three more small entries. The
SQL is written out here, so that the migration keeps meaning what it meant.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

ELIGIBLE = "WHERE is_complete AND accepting_mentees AND capacity > mentee_count"

LANGUAGE_COUNT = {
    "sqlite": "json_array_length(languages)",
    "postgres": "jsonb_array_length(languages)",
}


def statements(dialect: str) -> list[str]:
    return [
        "CREATE INDEX mentor_alike_idx ON mentor_profile "
        f"(lower(industry), lower(field_of_study), topic_mask) {ELIGIBLE}",
        f"CREATE INDEX mentor_field_idx ON mentor_profile (lower(field_of_study), topic_mask) {ELIGIBLE}",
        "CREATE INDEX mentor_language_count_idx ON mentor_profile "
        f"(({LANGUAGE_COUNT[dialect]})) {ELIGIBLE}",
    ]


async def create_bound_indexes(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect
    if dialect not in LANGUAGE_COUNT:
        raise NotImplementedError(f"discovery is written for SQLite and PostgreSQL, not {dialect}")
    for statement in statements(dialect):
        await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0014_member_keys")]

    initial = False

    operations = [ops.RunPython(create_bound_indexes)]
