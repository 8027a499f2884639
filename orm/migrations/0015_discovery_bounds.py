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

On PostgreSQL, a text search's `totalCount` read every FTS hit's mentor row
to test its topics and languages (a parallel scan of both tables at 100,000
mentors). The search document now also holds a tag per topic (`~t<topic>`)
and per language (`~l<code>`), which no typed word can produce (the parser
drops `~`), so the GIN index intersects the text with the topic and language
filters itself (`orm.search`). The trigger that refreshes the document fires
on topics and languages too; existing documents are rebuilt.

The writes that change a mentor's row (profile saves, a place taken or
freed) update three more small index entries. The SQL is written out here,
so that the migration keeps meaning what it meant.
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


TAGGED_DOCUMENT = """to_tsvector('mentor_words', concat_ws(' ',
    u.display_name, mp.headline, mp.bio, mp.industry, mp.field_of_study))
    || mentor_search_tags(mp.topics, mp.languages)"""

POSTGRES_TAGS = [
    """CREATE FUNCTION mentor_search_tags(topics JSONB, languages JSONB) RETURNS tsvector AS $$
        SELECT array_to_tsvector(
            ARRAY(SELECT '~t' || lower(t) FROM jsonb_array_elements_text(topics) t)
            || ARRAY(SELECT '~l' || lower(l) FROM jsonb_array_elements_text(languages) l))
    $$ LANGUAGE sql IMMUTABLE""",
    f"""CREATE OR REPLACE FUNCTION mentor_search_refresh(target INT) RETURNS void AS $$
        INSERT INTO mentor_search (mentor_id, document)
        SELECT mp.id, {TAGGED_DOCUMENT}
        FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id WHERE mp.id = target
        ON CONFLICT (mentor_id) DO UPDATE SET document = EXCLUDED.document;
    $$ LANGUAGE sql""",
    "DROP TRIGGER mentor_search_profile ON mentor_profile",
    """CREATE TRIGGER mentor_search_profile
    AFTER INSERT OR UPDATE OF headline, bio, industry, field_of_study, user_id, topics, languages
    ON mentor_profile FOR EACH ROW EXECUTE FUNCTION mentor_search_on_profile()""",
    f"""UPDATE mentor_search SET document = {TAGGED_DOCUMENT}
    FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id
    WHERE mentor_search.mentor_id = mp.id""",
]


async def create_bound_indexes(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect
    if dialect not in LANGUAGE_COUNT:
        raise NotImplementedError(f"discovery is written for SQLite and PostgreSQL, not {dialect}")
    for statement in statements(dialect):
        await client.execute_script(statement)
    if dialect == "postgres":
        for statement in POSTGRES_TAGS:
            await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0014_member_keys")]

    initial = False

    operations = [ops.RunPython(create_bound_indexes)]
