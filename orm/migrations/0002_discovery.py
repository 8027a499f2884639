"""Discovery: the topic bitmask, the suggestion index, and full-text search.

The SQL is written out here, not imported, so that this migration keeps
meaning what it meant when it was written.

- `topic_mask` is filled from the indexed topic rows (bit = the topic's
  position in `orm.vocabulary.Topic`; distinct bits, so SUM is OR).
- `mentor_suggestion_idx` is a partial covering index over the mentors that
  can be suggested at all, holding every column the scoring query reads, so
  that SQLite scores from the index without touching the wide rows.
- `mentor_search` is the full-text index over name, headline, bio, industry
  and field of study, kept in step by triggers: an FTS5 table on SQLite
  (unicode61 tokenizer: case and diacritics folded), a tsvector table with a
  GIN index on PostgreSQL ('simple' configuration: case folded, no stemming,
  diacritics kept).
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

TOPIC_ORDER = (
    "CAREER_PLANNING",
    "APPLICATION_STRATEGY",
    "SOFT_SKILLS",
    "LEADERSHIP",
    "INTERCULTURAL_COMMUNICATION",
    "SUBJECT_EXPERTISE",
    "SELF_MARKETING",
    "NETWORKING",
)
TOPIC_BITS = " ".join(f"WHEN '{name}' THEN {1 << bit}" for bit, name in enumerate(TOPIC_ORDER))

BACKFILL_TOPIC_MASK = f"""
UPDATE mentor_profile SET topic_mask = COALESCE(
    (SELECT SUM(CASE mt.topic {TOPIC_BITS} ELSE 0 END)
     FROM mentor_topic mt WHERE mt.mentor_id = mentor_profile.id), 0)
"""

SUGGESTION_INDEX = """
CREATE INDEX mentor_suggestion_idx ON mentor_profile (
    topic_mask, languages, timezone, country, industry, field_of_study,
    years_of_experience, capacity, mentee_count, user_id
) WHERE is_complete AND accepting_mentees AND capacity > mentee_count
"""

SQLITE_SEARCH = [
    """CREATE VIRTUAL TABLE mentor_search USING fts5(
        name, headline, bio, industry, field_of_study,
        tokenize = 'unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER mentor_search_insert AFTER INSERT ON mentor_profile BEGIN
        INSERT INTO mentor_search (rowid, name, headline, bio, industry, field_of_study)
        SELECT NEW.id, u.display_name, NEW.headline, NEW.bio, NEW.industry, NEW.field_of_study
        FROM "user" u WHERE u.id = NEW.user_id;
    END""",
    """CREATE TRIGGER mentor_search_update
    AFTER UPDATE OF headline, bio, industry, field_of_study, user_id ON mentor_profile BEGIN
        DELETE FROM mentor_search WHERE rowid = OLD.id;
        INSERT INTO mentor_search (rowid, name, headline, bio, industry, field_of_study)
        SELECT NEW.id, u.display_name, NEW.headline, NEW.bio, NEW.industry, NEW.field_of_study
        FROM "user" u WHERE u.id = NEW.user_id;
    END""",
    """CREATE TRIGGER mentor_search_delete AFTER DELETE ON mentor_profile BEGIN
        DELETE FROM mentor_search WHERE rowid = OLD.id;
    END""",
    """CREATE TRIGGER mentor_search_rename AFTER UPDATE OF display_name ON "user" BEGIN
        UPDATE mentor_search SET name = NEW.display_name
        WHERE rowid IN (SELECT id FROM mentor_profile WHERE user_id = NEW.id);
    END""",
    """INSERT INTO mentor_search (rowid, name, headline, bio, industry, field_of_study)
    SELECT mp.id, u.display_name, mp.headline, mp.bio, mp.industry, mp.field_of_study
    FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id""",
]

POSTGRES_DOCUMENT = """to_tsvector('simple', concat_ws(' ',
    u.display_name, mp.headline, mp.bio, mp.industry, mp.field_of_study))"""

POSTGRES_SEARCH = [
    """CREATE TABLE mentor_search (
        mentor_id INT PRIMARY KEY REFERENCES mentor_profile (id) ON DELETE CASCADE,
        document TSVECTOR NOT NULL
    )""",
    "CREATE INDEX mentor_search_document_idx ON mentor_search USING GIN (document)",
    f"""CREATE FUNCTION mentor_search_refresh(target INT) RETURNS void AS $$
        INSERT INTO mentor_search (mentor_id, document)
        SELECT mp.id, {POSTGRES_DOCUMENT}
        FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id WHERE mp.id = target
        ON CONFLICT (mentor_id) DO UPDATE SET document = EXCLUDED.document;
    $$ LANGUAGE sql""",
    """CREATE FUNCTION mentor_search_on_profile() RETURNS trigger AS $$ BEGIN
        PERFORM mentor_search_refresh(NEW.id);
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER mentor_search_profile
    AFTER INSERT OR UPDATE OF headline, bio, industry, field_of_study, user_id ON mentor_profile
    FOR EACH ROW EXECUTE FUNCTION mentor_search_on_profile()""",
    """CREATE FUNCTION mentor_search_on_user() RETURNS trigger AS $$ BEGIN
        PERFORM mentor_search_refresh(mp.id) FROM mentor_profile mp WHERE mp.user_id = NEW.id;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER mentor_search_user AFTER UPDATE OF display_name ON "user"
    FOR EACH ROW EXECUTE FUNCTION mentor_search_on_user()""",
    f"""INSERT INTO mentor_search (mentor_id, document)
    SELECT mp.id, {POSTGRES_DOCUMENT} FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id""",
]


async def create_discovery_sql(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect
    if dialect == "sqlite":
        search = SQLITE_SEARCH
    elif dialect == "postgres":
        search = POSTGRES_SEARCH
    else:
        raise NotImplementedError(
            f"discovery search is written for SQLite and PostgreSQL, not {dialect}"
        )
    for statement in [BACKFILL_TOPIC_MASK, SUGGESTION_INDEX, *search]:
        await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    initial = False

    operations = [
        ops.AddField(
            model_name="MentorProfile",
            name="topic_mask",
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.RunPython(create_discovery_sql),
    ]
