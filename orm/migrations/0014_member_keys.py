"""Each member's messages under a data key of their own, and erased accounts marked.

Bodies sealed with the service's keyring (0004) are opened and sealed again
with their sender's data key (`orm.member_keys`, made in the key store on
first use), in memory, batch by batch: the plain text never reaches a file.
On PostgreSQL the table is then rewritten, so that the row versions sealed
with the keyring do not outlive the move in its files (SQLite's runner zeroes
freed pages, `orm.database`). The keys come from the migration runner
(`orm.data_migrations`); a database without messages needs none. The SQL is
written out here, so that the migration keeps meaning what it meant.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from orm import data_migrations
from orm.encryption import Sealed

# Bodies moved per round trip: bounds the memory an upgrade takes.
BATCH = 500
MEMBER_KEY_ID = "@member"
ERASED_KEY_ID = "@erased"

KEYRING_SEALED = f"""SELECT id, relationship_id, sender_id, body_sealed, key_id FROM message
WHERE key_id NOT IN ('{MEMBER_KEY_ID}', '{ERASED_KEY_ID}') AND id > {{after}}
ORDER BY id LIMIT {BATCH}"""

RESEAL = {
    "sqlite": "UPDATE message SET body_sealed = ?, key_id = ? WHERE id = ?",
    "postgres": "UPDATE message SET body_sealed = $1, key_id = $2 WHERE id = $3",
}

REWRITE_POSTGRES = [
    "CLUSTER message USING message_pkey",
    "ALTER TABLE message SET WITHOUT CLUSTER",
]


def associated_data(relationship_id: int, sender_id: int) -> bytes:
    # What `orm.messages` binds a sealed body to: its conversation and sender.
    return f"message:{relationship_id}:{sender_id}".encode()


async def move_to_member_keys(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    after = 0
    while rows := await client.execute_query_dict(KEYRING_SEALED.format(after=int(after))):
        keyring = data_migrations.keyring()
        keys = data_migrations.member_keys()
        resealed = []
        for row in rows:
            context = associated_data(row["relationship_id"], row["sender_id"])
            text = keyring.open(Sealed(row["key_id"], bytes(row["body_sealed"])), context)
            sealed = keys.seal(int(row["sender_id"]), text, context)
            resealed.append([sealed.data, sealed.key_id, row["id"]])
        await client.execute_many(RESEAL[client.capabilities.dialect], resealed)
        after = rows[-1]["id"]
    if after and client.capabilities.dialect == "postgres":
        for statement in REWRITE_POSTGRES:
            await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0013_meeting_reminders")]

    initial = False

    operations = [
        ops.AddField(
            model_name="User",
            name="erased_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.RunPython(move_to_member_keys),
    ]
