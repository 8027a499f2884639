"""Suggestions seek a mentor's standing: the points they earn whoever asks.

The final scan of `orm.suggestions.best_mentors` reads cells of topic masks,
each with or without the mentee's industry, field of study and best place,
and keeps a row only when its upper bound reaches the threshold. In that
bound, CAPACITY and RESPONSIVENESS are exact per row, but the cells were cut
with both at their most (9 points): for a mentee whose scores are flat
(one topic, many languages), the cell of their country held 40,000 mentors
at 1,000,000, and not one of them passed the bound, because no mentor there
answered more requests quickly than the middle of the scale. Reading them
was half of that mentee's 80 ms.

Together the two are a mentor's *standing*, a number of the mentor's row
alone (`orm.suggestions.standing_sql`). The four suggestion indexes are
rebuilt, under the same names and over the same mentors, with the standing
as a key after the topic mask and what the cell shares with the mentee, most
first, and before the years of experience: a cell's read seeks the mentors
whose standing can still reach the threshold and skips the others.

The expression is written with the weights of `resolvers.scoring` (three
free places at one point each, six points of responsiveness); a query seeks
the index only when its expression is this one, term for term.
`tests/discovery/test_standing.py` fails when the weights and the indexes
part. Every covering column stays, so scoring still reads the indexes alone.

The SQL is written out here, so that the migration keeps meaning what it meant.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

ELIGIBLE = "WHERE is_complete AND accepting_mentees AND capacity > mentee_count"

# CAPACITY and RESPONSIVENESS points (`orm.rules.accepting`, `orm.rules.responsiveness`).
STANDING = (
    "(CASE WHEN (COALESCE(capacity, 0) - mentee_count) >= 3 THEN 3 "
    "WHEN (COALESCE(capacity, 0) - mentee_count) > 0 THEN (COALESCE(capacity, 0) - mentee_count) * 1 "
    "ELSE 0 END + ((2 * 6 * (answered_quickly + 1) + (requests_decided + 2)) "
    "/ (2 * (requests_decided + 2))))"
)

# As in migration 0016: what the bound and the eligibility terms read, and
# what scoring reads besides.
BOUND = (
    "industry, field_of_study, country, capacity, mentee_count, "
    "requests_decided, answered_quickly, is_complete, accepting_mentees"
)
SCORING = "languages, timezone, user_id"

KEYS = {
    "mentor_suggestion_idx": f"topic_mask, {STANDING} DESC, years_of_experience DESC",
    "mentor_alike_idx": (
        f"topic_mask, lower(industry), lower(field_of_study), {STANDING} DESC, "
        "years_of_experience DESC"
    ),
    "mentor_field_idx": (
        f"topic_mask, lower(field_of_study), {STANDING} DESC, years_of_experience DESC"
    ),
    "mentor_place_idx": f"topic_mask, country, {STANDING} DESC, years_of_experience DESC",
}


def statements(dialect: str) -> list[str]:
    created = []
    for name, keys in KEYS.items():
        if dialect == "postgres":
            columns = f"({keys}) INCLUDE (id, {BOUND}, {SCORING})"
        else:
            columns = f"({keys}, {BOUND}, {SCORING})"
        created += [
            f"DROP INDEX IF EXISTS {name}",
            f"CREATE INDEX {name} ON mentor_profile {columns} {ELIGIBLE}",
        ]
    return created


async def seek_standing(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect
    if dialect not in ("sqlite", "postgres"):
        raise NotImplementedError(f"discovery is written for SQLite and PostgreSQL, not {dialect}")
    # execute_query, never execute_script (whose sqlite3 version commits first):
    # in the migration's transaction, an index is never left dropped.
    for statement in statements(dialect):
        await client.execute_query(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0018_search_version")]
    initial = False
    operations = [ops.RunPython(seek_standing)]
