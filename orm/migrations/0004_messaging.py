"""Messages sealed at rest, numbered per conversation, with read markers.

A database at 0003 already holds messages (every request stores its first one)
with plain-text bodies. The new columns arrive nullable; `number_and_seal`
fills them: `seq` numbers each conversation's messages in (created_at, id)
order, each body is sealed with the service's current message key, and each
relationship's `last_seq` becomes its highest seq (read markers start at 0).
Only then do the columns become NOT NULL and the plain text go. The keyring
comes from the migration runner (`orm.data_migrations`); a new database, with
no messages, needs none. The SQL is written out here, so that the migration
keeps meaning what it meant when it was written.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

from orm import data_migrations
from orm.progress import SILENT

# Bodies sealed per round trip: bounds the memory an upgrade takes.
BATCH = 500

NUMBER_MESSAGES = """UPDATE message SET seq = numbered.seq
FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY relationship_id ORDER BY created_at, id) AS seq
      FROM message) AS numbered
WHERE message.id = numbered.id"""

SET_LAST_SEQ = """UPDATE relationship SET last_seq = (
    SELECT MAX(seq) FROM message WHERE message.relationship_id = relationship.id)
WHERE EXISTS (SELECT 1 FROM message WHERE message.relationship_id = relationship.id)"""

UNSEALED = f"""SELECT id, relationship_id, sender_id, body FROM message
WHERE body_sealed IS NULL ORDER BY id LIMIT {BATCH}"""

COUNT_UNSEALED = "SELECT COUNT(*) AS n FROM message WHERE body_sealed IS NULL"

SEAL = {
    "sqlite": "UPDATE message SET body_sealed = ?, key_id = ? WHERE id = ?",
    "postgres": "UPDATE message SET body_sealed = $1, key_id = $2 WHERE id = $3",
}

# PostgreSQL keeps a dropped column's values, and the row versions the
# sealing replaced, in the table's files; rewriting the table leaves only the
# live rows, with the dropped column null. CLUSTER rewrites inside the
# migration's transaction (VACUUM FULL may not); the clustering mark it sets
# is taken off again.
REWRITE_POSTGRES = [
    "CLUSTER message USING message_pkey",
    "ALTER TABLE message SET WITHOUT CLUSTER",
]


def associated_data(relationship_id: int, sender_id: int) -> bytes:
    # What `orm.messages` binds a sealed body to: its conversation and sender.
    return f"message:{relationship_id}:{sender_id}".encode()


async def number_and_seal(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    await client.execute_script(NUMBER_MESSAGES)
    await client.execute_script(SET_LAST_SEQ)
    unsealed = int((await client.execute_query_dict(COUNT_UNSEALED))[0]["n"])
    # A new database has nothing to seal, and nothing to report.
    reporting = data_migrations.progress() if unsealed else SILENT
    sealing = reporting.task("sealing messages", unsealed)
    while rows := await client.execute_query_dict(UNSEALED):
        keyring = data_migrations.keyring()
        sealed = [
            (
                keyring.seal(
                    row["body"], associated_data(row["relationship_id"], row["sender_id"])
                ),
                row["id"],
            )
            for row in rows
        ]
        await client.execute_many(
            SEAL[client.capabilities.dialect],
            [[seal.data, seal.key_id, message_id] for seal, message_id in sealed],
        )
        sealing.advance(len(rows))
    sealing.finish()


async def rewrite_without_plain_text(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    if client.capabilities.dialect != "postgres":
        # SQLite rebuilt the table to drop the column; the runner clears the
        # write-ahead log and `secure_delete` zeroes the freed pages.
        return
    for statement in REWRITE_POSTGRES:
        await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0003_relationships")]

    initial = False

    operations = [
        ops.RemoveIndex(
            model_name="Message",
            name="message_conversation_idx",
            fields=None,
        ),
        ops.AlterField(
            model_name="Message",
            name="client_message_id",
            field=fields.CharField(null=True, max_length=100),
        ),
        ops.AddField(
            model_name="Message",
            name="body_sealed",
            field=fields.BinaryField(null=True),
        ),
        ops.AddField(
            model_name="Message",
            name="key_id",
            field=fields.CharField(null=True, max_length=16),
        ),
        ops.AddField(
            model_name="Message",
            name="seq",
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name="Relationship",
            name="last_seq",
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name="Relationship",
            name="mentee_read_seq",
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name="Relationship",
            name="mentor_read_seq",
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.RunPython(number_and_seal),
        ops.AlterField(
            model_name="Message",
            name="body_sealed",
            field=fields.BinaryField(),
        ),
        ops.AlterField(
            model_name="Message",
            name="key_id",
            field=fields.CharField(max_length=16),
        ),
        ops.AlterField(
            model_name="Message",
            name="seq",
            field=fields.IntField(),
        ),
        ops.RemoveField(model_name="Message", name="body"),
        ops.RunPython(rewrite_without_plain_text),
        ops.AddConstraint(
            model_name="Message",
            constraint=UniqueConstraint(fields=("relationship", "seq"), name=None),
        ),
        ops.AddConstraint(
            model_name="Message",
            constraint=UniqueConstraint(fields=("sender", "client_message_id"), name=None),
        ),
    ]
