"""SQLite: a message takes its conversation's next seq in one statement.

On SQLite every statement of the process waits its turn on one connection,
and a transaction holds that turn across all its statements, so a send runs
as a single `INSERT ... SELECT last_seq + 1 ... RETURNING` (atomic by itself)
and this trigger moves `relationship.last_seq` along with it. PostgreSQL
keeps its transaction (a row lock on the relationship, then the insert) and
needs no trigger. The guard keeps the trigger harmless for an insert whose
seq was taken the other way.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

SQLITE_TRIGGER = """
CREATE TRIGGER message_takes_its_seq AFTER INSERT ON message BEGIN
    UPDATE relationship SET last_seq = NEW.seq
    WHERE id = NEW.relationship_id AND last_seq < NEW.seq;
END
"""


async def create_trigger(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        await client.execute_script(SQLITE_TRIGGER)


async def drop_trigger(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        await client.execute_script("DROP TRIGGER IF EXISTS message_takes_its_seq")


class Migration(migrations.Migration):
    dependencies = [("models", "0005_search_folds_diacritics")]

    initial = False

    operations = [ops.RunPython(create_trigger, drop_trigger)]
