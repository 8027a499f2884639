"""A version of what a text search counts, so that each process counts once per change.

A text search's `totalCount` at 1,000,000 mentors is most of the search:
about 25 ms of 30 on either engine (the GIN index's hits and their heap pages
on PostgreSQL, FTS5's hits each checked in `mentor_hit_idx` on SQLite), and
a client paging through one search asks for it with every page.
`search_version` holds one row, whose value changes in the transaction of
every change that can move such a count:

- PostgreSQL: any document of `mentor_search` written or deleted (since
  migration 0017 it holds exactly the findable mentors' documents, so
  completeness and suspension reach it too);
- SQLite: a mentor added or deleted, a change of a column its FTS5 document
  or the count's checks read (text, topics, languages, completeness), a
  member's name or suspension.

`orm.search_counts` keeps counts by search and version in each process and
reads the version in the statement that would count, so a count is never
older than the version it is kept under. The value is a new random number,
not the next one: a version is never given again to other contents, by a
change rolled back or by two databases copied from one. The row is written
by upsert at the first change (and again after the table was emptied);
without the row nothing is kept.

The SQL is written out here, so that the migration keeps meaning what it meant.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

POSTGRES = [
    "CREATE TABLE search_version (id SMALLINT PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL)",
    """CREATE FUNCTION search_version_bump() RETURNS trigger AS $$
    BEGIN
        INSERT INTO search_version (id, value) VALUES (1, floor(random() * 9.2e18)::bigint)
        ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER search_version_documents AFTER INSERT OR UPDATE OR DELETE ON mentor_search
    FOR EACH ROW EXECUTE FUNCTION search_version_bump()""",
]

SQLITE_BUMP = "INSERT OR REPLACE INTO search_version (id, value) VALUES (1, random());"
# What the FTS5 document and the count's checks read of a mentor (migration 0016).
SQLITE_READ = (
    "headline",
    "bio",
    "industry",
    "field_of_study",
    "user_id",
    "topics",
    "languages",
    "is_complete",
)

SQLITE = [
    "CREATE TABLE search_version (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)",
    f"""CREATE TRIGGER search_version_mentor_insert AFTER INSERT ON mentor_profile BEGIN
        {SQLITE_BUMP}
    END""",
    f"""CREATE TRIGGER search_version_mentor_delete AFTER DELETE ON mentor_profile BEGIN
        {SQLITE_BUMP}
    END""",
    f"""CREATE TRIGGER search_version_mentor_update
    AFTER UPDATE OF {", ".join(SQLITE_READ)} ON mentor_profile
    WHEN {" OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in SQLITE_READ)} BEGIN
        {SQLITE_BUMP}
    END""",
    f"""CREATE TRIGGER search_version_member_update AFTER UPDATE OF display_name, suspended_at
    ON "user"
    WHEN OLD.display_name IS NOT NEW.display_name OR OLD.suspended_at IS NOT NEW.suspended_at
    BEGIN
        {SQLITE_BUMP}
    END""",
]


async def add_search_version(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect
    if dialect not in ("sqlite", "postgres"):
        raise NotImplementedError(f"discovery is written for SQLite and PostgreSQL, not {dialect}")
    for statement in POSTGRES if dialect == "postgres" else SQLITE:
        await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0017_search_holds_findable_mentors")]
    initial = False
    operations = [ops.RunPython(add_search_version)]
