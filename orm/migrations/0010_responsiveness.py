"""Responsiveness: two counters per mentor, backfilled, and read from the suggestion index.

`requests_decided` counts the mentor's requests that were accepted,
declined or expired; `answered_quickly` those answered within 48 hours
(`orm.rules.responsiveness`). They are backfilled from the relationships
(a request answered keeps its `responded_at`, an expired one its status),
and `mentor_suggestion_idx` is rebuilt with them, so that SQLite still
scores suggestions from the index alone. The SQL is written out here, not
imported, so that this migration keeps meaning what it meant when written.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

QUICK_SECONDS = 48 * 3600

ELAPSED = {
    "sqlite": "CAST(strftime('%s', r.responded_at) AS INTEGER)"
    " - CAST(strftime('%s', r.created_at) AS INTEGER)",
    "postgres": "EXTRACT(EPOCH FROM r.responded_at - r.created_at)",
}

BACKFILL = """
UPDATE mentor_profile SET
    requests_decided = (
        SELECT COUNT(*) FROM relationship r WHERE r.mentor_id = mentor_profile.id
        AND (r.responded_at IS NOT NULL OR r.status = 'EXPIRED')),
    answered_quickly = (
        SELECT COUNT(*) FROM relationship r WHERE r.mentor_id = mentor_profile.id
        AND r.responded_at IS NOT NULL AND {elapsed} <= {quick})
"""

DROP_INDEX = "DROP INDEX IF EXISTS mentor_suggestion_idx"
SUGGESTION_INDEX = """
CREATE INDEX mentor_suggestion_idx ON mentor_profile (
    topic_mask, languages, timezone, country, industry, field_of_study,
    years_of_experience, capacity, mentee_count, user_id,
    requests_decided, answered_quickly
) WHERE is_complete AND accepting_mentees AND capacity > mentee_count
"""


async def backfill_and_reindex(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect
    if dialect not in ELAPSED:
        raise NotImplementedError(
            f"responsiveness is written for SQLite and PostgreSQL, not {dialect}"
        )
    backfill = BACKFILL.format(elapsed=ELAPSED[dialect], quick=QUICK_SECONDS)
    for statement in (backfill, DROP_INDEX, SUGGESTION_INDEX):
        await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0009_working_together")]

    initial = False

    operations = [
        ops.AddField(
            model_name="MentorProfile",
            name="requests_decided",
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name="MentorProfile",
            name="answered_quickly",
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.RunPython(backfill_and_reindex),
    ]
