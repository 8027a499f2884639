"""Discovery at a million mentors: suggestions bounded from the index alone, tagged SQLite search.

Suggestions. The final scan of `orm.suggestions.best_mentors` reads the
mentors of a few cells (topic masks, each with or without the mentee's
industry and field of study) and keeps a row only when its upper bound
reaches the threshold. The bound reads the topic mask, industry, field of
study, years of experience, country, capacity, the count of mentees and the
two answer counters of responsiveness (migration 0010); none of the indexes
held all of them, so every row the scan passed cost a read of the wide
table row as well, and `mentor_alike_idx` / `mentor_field_idx` led with
industry and field, so a cell of many masks read every mentor of the
industry.

The three indexes are rebuilt, under the same names and over the same
mentors, and a fourth, `mentor_place_idx`, seeks the mentors in the
mentee's best place (own country, or the target of a relocation). Each
leads with the topic mask, then industry and field of study (lowered, as
scoring compares them), field of study, or country, then years of
experience, most first; each holds every column the bound, the eligibility
terms of the partial condition and scoring read: SQLite as trailing key
columns (it has no INCLUDE), PostgreSQL as INCLUDE columns, so that both
score from an index-only scan.

A profile save or an accepted request rewrites four index entries where it
rewrote three, each wider.

Search on SQLite. A text search's `totalCount` read the mentor row of every
full-text hit to test its topics and languages: every "data" among a
million mentors. The FTS5 table gets a `tags` column, as the PostgreSQL
document got tags in migration 0015: `t<topic>` (lower case, no underscore)
per topic and `l<code>` per language, so that FTS5 intersects the words with
the topic and language filters itself (`orm.search`). Words are matched in
the five text columns only, so no typed word matches a tag. The table is
rebuilt with its triggers, which now also fire on topics and languages.

A text search's count still checks each hit's completeness and user (and
the topic and language filters, again); `mentor_hit_idx` holds those columns
led by the id, so that SQLite reads a hit's entry in a narrow index, not its
wide row (PostgreSQL, likewise, with an index-only scan).

The SQL is written out here, so that the migration keeps meaning what it
meant.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

ELIGIBLE = "WHERE is_complete AND accepting_mentees AND capacity > mentee_count"

# What the bound reads besides the index keys, and the terms of ELIGIBLE.
BOUND = (
    "industry, field_of_study, country, capacity, mentee_count, "
    "requests_decided, answered_quickly, is_complete, accepting_mentees"
)
# What scoring reads besides: the threshold's samples and the unpruned scan
# score from the indexes too.
SCORING = "languages, timezone, user_id"

# The topic mask first: a cell is a list of masks, each with the same
# industry (field), and an IN list seeks only on a leading column, or on one
# after equalities (PostgreSQL 15 turns an IN on a later column into a
# filter). Within a mask, the most experienced first: more years never earn
# fewer EXPERIENCE points, whoever the mentee, so the threshold's sample, the
# first rows of each mask, scores high.
KEYS = {
    "mentor_suggestion_idx": "topic_mask, years_of_experience DESC",
    "mentor_alike_idx": (
        "topic_mask, lower(industry), lower(field_of_study), years_of_experience DESC"
    ),
    "mentor_field_idx": "topic_mask, lower(field_of_study), years_of_experience DESC",
    # New: the mentors in the country that earns a mentee the most LOCATION points.
    "mentor_place_idx": "topic_mask, country, years_of_experience DESC",
}


def statements(dialect: str) -> list[str]:
    created = []
    for name, keys in KEYS.items():
        if dialect == "postgres":
            # An index-only scan returns only what the index holds: the id too
            # (SQLite keeps the rowid in every index entry anyway).
            columns = f"({keys}) INCLUDE (id, {BOUND}, {SCORING})"
        else:
            columns = f"({keys}, {BOUND}, {SCORING})"
        created += [
            f"DROP INDEX IF EXISTS {name}",
            f"CREATE INDEX {name} ON mentor_profile {columns} {ELIGIBLE}",
        ]
    return created


# Search: the columns a text search's filters read of each FTS5 hit, led by
# the id, so that its count checks a hit in a narrow index, not the wide row.
HIT_INDEX = {
    "sqlite": "CREATE INDEX mentor_hit_idx ON mentor_profile "
    "(id, is_complete, user_id, topic_mask, languages)",
    "postgres": "CREATE INDEX mentor_hit_idx ON mentor_profile "
    "(id) INCLUDE (is_complete, user_id, topic_mask, languages)",
}


def _tags(row: str) -> str:
    return f"""(SELECT group_concat(tag, ' ') FROM (
        SELECT 't' || replace(lower(value), '_', '') AS tag FROM json_each({row}.topics)
        UNION ALL SELECT 'l' || lower(value) FROM json_each({row}.languages)))"""


SQLITE_COLUMNS = "rowid, name, headline, bio, industry, field_of_study, tags"

SQLITE_TAGGED_SEARCH = [
    "DROP TRIGGER mentor_search_insert",
    "DROP TRIGGER mentor_search_update",
    "DROP TRIGGER mentor_search_delete",
    "DROP TRIGGER mentor_search_rename",
    "DROP TABLE mentor_search",
    """CREATE VIRTUAL TABLE mentor_search USING fts5(
        name, headline, bio, industry, field_of_study, tags,
        tokenize = 'unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER mentor_search_insert AFTER INSERT ON mentor_profile BEGIN
        INSERT INTO mentor_search ({SQLITE_COLUMNS})
        SELECT NEW.id, u.display_name, NEW.headline, NEW.bio, NEW.industry, NEW.field_of_study,
            {_tags("NEW")}
        FROM "user" u WHERE u.id = NEW.user_id;
    END""",
    f"""CREATE TRIGGER mentor_search_update AFTER UPDATE OF
        headline, bio, industry, field_of_study, user_id, topics, languages
    ON mentor_profile BEGIN
        DELETE FROM mentor_search WHERE rowid = OLD.id;
        INSERT INTO mentor_search ({SQLITE_COLUMNS})
        SELECT NEW.id, u.display_name, NEW.headline, NEW.bio, NEW.industry, NEW.field_of_study,
            {_tags("NEW")}
        FROM "user" u WHERE u.id = NEW.user_id;
    END""",
    """CREATE TRIGGER mentor_search_delete AFTER DELETE ON mentor_profile BEGIN
        DELETE FROM mentor_search WHERE rowid = OLD.id;
    END""",
    """CREATE TRIGGER mentor_search_rename AFTER UPDATE OF display_name ON "user" BEGIN
        UPDATE mentor_search SET name = NEW.display_name
        WHERE rowid IN (SELECT id FROM mentor_profile WHERE user_id = NEW.id);
    END""",
    f"""INSERT INTO mentor_search ({SQLITE_COLUMNS})
    SELECT mp.id, u.display_name, mp.headline, mp.bio, mp.industry, mp.field_of_study, {_tags("mp")}
    FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id""",
]


async def scale_discovery(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect
    if dialect not in ("sqlite", "postgres"):
        raise NotImplementedError(f"discovery is written for SQLite and PostgreSQL, not {dialect}")
    for statement in [*statements(dialect), HIT_INDEX[dialect]]:
        await client.execute_script(statement)
    if dialect == "sqlite":
        for statement in SQLITE_TAGGED_SEARCH:
            await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0015_discovery_bounds")]

    initial = False

    operations = [ops.RunPython(scale_discovery)]
