"""SQLite: the search documents are those of the mentors search can find, no others.

A text search's `totalCount` on SQLite found its hits in FTS5, then checked
each hit (complete, member not suspended, topics, languages) in
`mentor_hit_idx` (migration 0016): 35 to 43 ms for each of the bench's
common searches at 1,000,000 mentors (18,000 hits and more), against 1 to 2
ms for a page.

`mentor_search` now holds a document only while its mentor is findable: the
profile complete and its member not suspended, as PostgreSQL's has since
migration 0017. Its tags hold the topics and languages, so a count of words,
topics and languages is FTS5's hits alone, less the mentors blocked, which
`orm.search` subtracts. The triggers write a mentor's document when they
become findable and delete it when they stop being so: on `is_complete`,
and on `user.suspended_at` (`mentor_search_suspension`, new). The table is
rebuilt from the findable mentors, so the documents of the others go.

Rebuilt with `detail = column`: FTS5 keeps which columns hold a token, not
where in them, which nothing reads (a search is single-token words, ANDed,
with column filters; no phrases, NEAR, highlight or snippet: a word FTS5
cuts in two is searched as its parts, `orm.search.fts5_terms`). The index
is half the size (70 MB instead of 122 at 1,000,000) and a count reads
less. The bench's six counts together at 1,000,000, fastest of 30 runs:
203 to 232 ms before this migration, 92 to 100 after it; with positions
kept, 142 to 145 (107 to 109 once FTS5 merged the deletions, `optimize`).
The rebuild took 17 to 20 s at 1,000,000 mentors.

A profile save that changes nothing the document or findability reads (the
ORM writes every column, so the trigger fires on every save), or a rename to
the same name, no longer rewrites the document: each trigger fires only when
a column it reads changed, as the search version's do (migration 0018),
which are left as they are.

`mentor_hit_idx` stays: searches without words count and page from it, a
covering index led by the id (a topic's count at 1,000,000: 145 ms, 290
from the table).

The SQL is written out here, so that the migration keeps meaning what it meant.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

COLUMNS = "rowid, name, headline, bio, industry, field_of_study, tags"


def _document(row: str) -> str:
    """The document of mentor `row` with its member `u` (migration 0016): the five
    text columns, and a tag per topic and language."""
    return f"""{row}.id, u.display_name, {row}.headline, {row}.bio, {row}.industry,
        {row}.field_of_study, (SELECT group_concat(tag, ' ') FROM (
            SELECT 't' || replace(lower(value), '_', '') AS tag FROM json_each({row}.topics)
            UNION ALL SELECT 'l' || lower(value) FROM json_each({row}.languages)))"""


def _findable(row: str) -> str:
    """Mentor `row` with its member `u` is found by search."""
    return f"{row}.is_complete AND u.suspended_at IS NULL"


# What the document and findability read of a mentor.
READ = (
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
    "DROP TRIGGER mentor_search_insert",
    "DROP TRIGGER mentor_search_update",
    "DROP TRIGGER mentor_search_rename",
    "DROP TABLE mentor_search",
    # detail = column: no token positions, which nothing reads (each word is
    # one quoted token, `orm.search`).
    """CREATE VIRTUAL TABLE mentor_search USING fts5(
        name, headline, bio, industry, field_of_study, tags,
        tokenize = 'unicode61 remove_diacritics 2', detail = column
    )""",
    f"""CREATE TRIGGER mentor_search_insert AFTER INSERT ON mentor_profile
    WHEN NEW.is_complete BEGIN
        INSERT INTO mentor_search ({COLUMNS}) SELECT {_document("NEW")}
        FROM "user" u WHERE u.id = NEW.user_id AND u.suspended_at IS NULL;
    END""",
    f"""CREATE TRIGGER mentor_search_update AFTER UPDATE OF {", ".join(READ)} ON mentor_profile
    WHEN {" OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in READ)} BEGIN
        DELETE FROM mentor_search WHERE rowid = OLD.id;
        INSERT INTO mentor_search ({COLUMNS}) SELECT {_document("NEW")}
        FROM "user" u WHERE u.id = NEW.user_id AND {_findable("NEW")};
    END""",
    # mentor_search_delete (migration 0016) stays: it deletes the document, if any.
    """CREATE TRIGGER mentor_search_rename AFTER UPDATE OF display_name ON "user"
    WHEN OLD.display_name IS NOT NEW.display_name BEGIN
        UPDATE mentor_search SET name = NEW.display_name
        WHERE rowid IN (SELECT id FROM mentor_profile WHERE user_id = NEW.id);
    END""",
    # Only a change between suspended and not: a new date on a suspended member
    # finds no document to delete and writes none.
    f"""CREATE TRIGGER mentor_search_suspension AFTER UPDATE OF suspended_at ON "user"
    WHEN (OLD.suspended_at IS NULL) IS NOT (NEW.suspended_at IS NULL) BEGIN
        DELETE FROM mentor_search
        WHERE rowid IN (SELECT id FROM mentor_profile WHERE user_id = NEW.id);
        INSERT INTO mentor_search ({COLUMNS}) SELECT {_document("mp")}
        FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id
        WHERE mp.user_id = NEW.id AND {_findable("mp")};
    END""",
    f"""INSERT INTO mentor_search ({COLUMNS}) SELECT {_document("mp")}
    FROM mentor_profile mp JOIN "user" u ON u.id = mp.user_id WHERE {_findable("mp")}""",
]


async def keep_findable_documents(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect
    if dialect not in ("sqlite", "postgres"):
        raise NotImplementedError(f"discovery is written for SQLite and PostgreSQL, not {dialect}")
    if dialect == "sqlite":
        # execute_query, never execute_script: sqlite3's executescript() commits
        # first, and a failure between the drop and the refill would leave
        # the table half made; in the migration's transaction it is all or nothing.
        for statement in SQLITE:
            await client.execute_query(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0019_suggestions_seek_standing")]

    initial = False

    operations = [ops.RunPython(keep_findable_documents)]
