"""PostgreSQL's search folds diacritics too, as SQLite's does: "muller" finds "Müller".

A text search configuration `mentor_words` is 'simple' (case folded, no
stemming) behind the `unaccent` dictionary; the index is rebuilt with it.
`unaccent` ships with PostgreSQL and is a trusted extension (13+), so the
database's owner may create it. SQLite's FTS5 index folds already: nothing
to do there. The SQL is written out here, so that the migration keeps
meaning what it meant when it was written.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

DOCUMENT = """to_tsvector('mentor_words', concat_ws(' ',
    u.display_name, mp.headline, mp.bio, mp.industry, mp.field_of_study))"""

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION mentor_words (COPY = pg_catalog.simple)",
    """ALTER TEXT SEARCH CONFIGURATION mentor_words
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple""",
    f"""CREATE OR REPLACE FUNCTION mentor_search_refresh(target INT) RETURNS void AS $$
        INSERT INTO mentor_search (mentor_id, document)
        SELECT mp.id, {DOCUMENT}
        FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id WHERE mp.id = target
        ON CONFLICT (mentor_id) DO UPDATE SET document = EXCLUDED.document;
    $$ LANGUAGE sql""",
    f"""UPDATE mentor_search SET document = {DOCUMENT}
    FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id
    WHERE mentor_search.mentor_id = mp.id""",
]


async def fold_diacritics(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    if client.capabilities.dialect != "postgres":
        return
    for statement in POSTGRES:
        await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0004_messaging")]

    initial = False

    operations = [ops.RunPython(fold_diacritics)]
