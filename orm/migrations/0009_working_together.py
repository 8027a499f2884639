"""Working together: action steps, meetings and each member's calendar feed."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0008_notifications")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ActionStep",
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
                        related_name="action_steps",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("title", fields.CharField(max_length=200)),
                ("notes", fields.TextField(null=True, unique=False)),
                ("due_on", fields.DateField(null=True)),
                (
                    "owner",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="owner_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="action_steps_owned",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="created_by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="action_steps_created",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("done_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "action_step",
                "app": "models",
                "indexes": [
                    Index(fields=["relationship_id", "due_on"], name="action_step_order_idx")
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CalendarFeed",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.OneToOneField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="calendar_feed",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("nonce", fields.CharField(max_length=43)),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={"table": "calendar_feed", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Meeting",
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
                        related_name="meetings",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "proposed_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="proposed_by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="meetings_proposed",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("starts_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("ends_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("duration_minutes", fields.SmallIntField()),
                ("channel", fields.CharField(max_length=20)),
                ("location", fields.CharField(null=True, max_length=500)),
                ("agenda", fields.TextField(null=True, unique=False)),
                ("status", fields.CharField(max_length=12)),
                ("cancel_reason", fields.TextField(null=True, unique=False)),
                ("sequence", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "confirmed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "meeting",
                "app": "models",
                "indexes": [
                    Index(fields=["relationship_id", "starts_at"], name="meeting_relationship_idx"),
                    Index(fields=["status", "starts_at"], name="meeting_status_idx"),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
    ]
