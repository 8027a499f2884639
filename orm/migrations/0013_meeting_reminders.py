"""Meeting reminders: a notification may name the meeting and the start it reminds of."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0012_member_blocks")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Notification",
            name="meeting_id",
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name="Notification",
            name="meeting_starts_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
