from tortoise import fields, migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint


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
            field=fields.BinaryField(),
        ),
        ops.AddField(
            model_name="Message",
            name="key_id",
            field=fields.CharField(max_length=16),
        ),
        ops.AddField(
            model_name="Message",
            name="seq",
            field=fields.IntField(),
        ),
        ops.RemoveField(model_name="Message", name="body"),
        ops.AddConstraint(
            model_name="Message",
            constraint=UniqueConstraint(fields=("relationship", "seq"), name=None),
        ),
        ops.AddConstraint(
            model_name="Message",
            constraint=UniqueConstraint(fields=("sender", "client_message_id"), name=None),
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
    ]
