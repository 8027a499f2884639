"""PostgreSQL: the search documents are those of the mentors search can find, no others.

A text search's `totalCount` found its hits in the GIN index, then checked
each hit's mentor row for completeness and suspension (`orm.search`): at
1,000,000 mentors, 20,000 index probes on top of the 17,000 heap pages of
`mentor_search` the hits live on, two thirds of the count's time.

`mentor_search` now holds a document only while its mentor is findable: the
profile complete and its member not suspended. The GIN index then answers
every filter a count of words, topics and languages has but blocks, which
`orm.search` subtracts (a member blocks few others). The refresh deletes the
document of a mentor who stops being findable and writes it back when they
are again; the triggers fire on `is_complete` and on `user.suspended_at` too.
Documents of mentors not findable now are deleted.

The refresh also leaves an unchanged document alone: a profile save that
changes no searchable text (the ORM writes every column, so the trigger
fires on every save) no longer writes a new row version and its GIN
entries.

SQLite's FTS5 table is left as it is: its count checks each hit in the narrow
`mentor_hit_idx` (migration 0016), which costs it little.

The SQL is written out here, so that the migration keeps meaning what it meant.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

DOCUMENT = """to_tsvector('mentor_words', concat_ws(' ',
    u.display_name, mp.headline, mp.bio, mp.industry, mp.field_of_study))
    || mentor_search_tags(mp.topics, mp.languages)"""

FINDABLE = "mp.is_complete AND u.suspended_at IS NULL"

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION mentor_search_refresh(target INT) RETURNS void AS $$
        DELETE FROM mentor_search ms WHERE ms.mentor_id = target AND NOT EXISTS (
            SELECT 1 FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id
            WHERE mp.id = target AND {FINDABLE});
        INSERT INTO mentor_search (mentor_id, document)
        SELECT mp.id, {DOCUMENT}
        FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id
        WHERE mp.id = target AND {FINDABLE}
        ON CONFLICT (mentor_id) DO UPDATE SET document = EXCLUDED.document
        WHERE mentor_search.document IS DISTINCT FROM EXCLUDED.document;
    $$ LANGUAGE sql""",
    "DROP TRIGGER mentor_search_profile ON mentor_profile",
    """CREATE TRIGGER mentor_search_profile
    AFTER INSERT OR UPDATE OF headline, bio, industry, field_of_study, user_id, topics, languages,
        is_complete
    ON mentor_profile FOR EACH ROW EXECUTE FUNCTION mentor_search_on_profile()""",
    'DROP TRIGGER mentor_search_user ON "user"',
    """CREATE TRIGGER mentor_search_user AFTER UPDATE OF display_name, suspended_at ON "user"
    FOR EACH ROW EXECUTE FUNCTION mentor_search_on_user()""",
    f"""DELETE FROM mentor_search ms WHERE NOT EXISTS (
        SELECT 1 FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id
        WHERE mp.id = ms.mentor_id AND {FINDABLE})""",
]


async def keep_findable_documents(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect
    if dialect not in ("sqlite", "postgres"):
        raise NotImplementedError(f"discovery is written for SQLite and PostgreSQL, not {dialect}")
    if dialect == "postgres":
        for statement in POSTGRES:
            await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0016_discovery_at_scale")]

    initial = False

    operations = [ops.RunPython(keep_findable_documents)]
