from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0002_discovery")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Relationship",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "mentor",
                    fields.ForeignKeyField(
                        "models.MentorProfile",
                        source_field="mentor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="relationships",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "mentee",
                    fields.ForeignKeyField(
                        "models.MenteeProfile",
                        source_field="mentee_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="relationships",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("status", fields.CharField(max_length=12)),
                (
                    "request_topics",
                    fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads),
                ),
                ("request_goals", fields.TextField(null=True, unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "responded_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("decline_reason", fields.TextField(null=True, unique=False)),
                ("ended_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("end_reason", fields.TextField(null=True, unique=False)),
                ("starts_on", fields.DateField(null=True)),
                ("ends_on", fields.DateField(null=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "relationship",
                "app": "models",
                "indexes": [
                    Index(fields=["mentee_id", "status"], name="relationship_mentee_idx"),
                    Index(fields=["mentor_id", "status"], name="relationship_mentor_idx"),
                    Index(fields=["status", "created_at"], name="relationship_expiry_idx"),
                    Index(fields=["status", "ends_on"], name="relationship_completion_idx"),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Agreement",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "relationship",
                    fields.ForeignKeyField(
                        "models.Relationship",
                        source_field="relationship_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="agreements",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("version", fields.IntField()),
                (
                    "proposed_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="proposed_by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="proposed_agreements",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("status", fields.CharField(max_length=12)),
                ("goals", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("topics", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("expectations", fields.TextField(null=True, unique=False)),
                ("cadence", fields.CharField(max_length=12)),
                ("channels", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("starts_on", fields.DateField()),
                ("ends_on", fields.DateField()),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "accepted_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "agreement",
                "app": "models",
                "unique_together": (("relationship", "version"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Feedback",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "relationship",
                    fields.ForeignKeyField(
                        "models.Relationship",
                        source_field="relationship_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="feedback",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="author_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="feedback_given",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("rating", fields.SmallIntField()),
                ("comment", fields.TextField(null=True, unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "feedback",
                "app": "models",
                "unique_together": (("relationship", "author"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Message",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "relationship",
                    fields.ForeignKeyField(
                        "models.Relationship",
                        source_field="relationship_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="messages",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "sender",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="sender_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="messages_sent",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("body", fields.TextField(unique=False)),
                ("client_message_id", fields.CharField(null=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "message",
                "app": "models",
                "indexes": [
                    Index(fields=["relationship_id", "id"], name="message_conversation_idx")
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="MentorProfile",
            name="last_active_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="MentorProfile",
            name="requests_answered",
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name="MentorProfile",
            name="requests_received",
            field=fields.IntField(default=0, db_default=0),
        ),
    ]
