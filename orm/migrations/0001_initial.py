from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="User",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("email", fields.CharField(unique=True, max_length=254)),
                ("display_name", fields.CharField(max_length=100)),
                ("password_hash", fields.CharField(max_length=255)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "user", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MenteeProfile",
            fields=[
                ("headline", fields.CharField(null=True, max_length=120)),
                ("bio", fields.TextField(null=True, unique=False)),
                ("country", fields.CharField(null=True, max_length=2)),
                ("city", fields.CharField(null=True, max_length=100)),
                ("timezone", fields.CharField(null=True, max_length=64)),
                ("languages", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("industry", fields.CharField(null=True, max_length=100)),
                ("field_of_study", fields.CharField(null=True, max_length=100)),
                ("years_of_experience", fields.IntField(null=True)),
                ("topics", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("channels", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                (
                    "contact_links",
                    fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads),
                ),
                ("is_complete", fields.BooleanField(default=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
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
                        related_name="mentee_profile",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("situation", fields.CharField(null=True, max_length=20)),
                ("target_country", fields.CharField(null=True, max_length=2)),
                ("goals", fields.TextField(null=True, unique=False)),
            ],
            options={"table": "mentee_profile", "app": "models", "pk_attr": "id"},
            bases=["ProfileBase"],
        ),
        ops.CreateModel(
            name="MentorProfile",
            fields=[
                ("headline", fields.CharField(null=True, max_length=120)),
                ("bio", fields.TextField(null=True, unique=False)),
                ("country", fields.CharField(null=True, max_length=2)),
                ("city", fields.CharField(null=True, max_length=100)),
                ("timezone", fields.CharField(null=True, max_length=64)),
                ("languages", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("industry", fields.CharField(null=True, max_length=100)),
                ("field_of_study", fields.CharField(null=True, max_length=100)),
                ("years_of_experience", fields.IntField(null=True)),
                ("topics", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("channels", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                (
                    "contact_links",
                    fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads),
                ),
                ("is_complete", fields.BooleanField(default=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
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
                        related_name="mentor_profile",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("capacity", fields.IntField(null=True)),
                ("accepting_mentees", fields.BooleanField(default=True)),
                ("mentee_count", fields.IntField(default=0)),
            ],
            options={
                "table": "mentor_profile",
                "app": "models",
                "indexes": [
                    Index(fields=["is_complete", "accepting_mentees"], name="mentor_ready_idx")
                ],
                "pk_attr": "id",
            },
            bases=["ProfileBase"],
        ),
        ops.CreateModel(
            name="MentorLanguage",
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
                        related_name="language_rows",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("language", fields.CharField(max_length=2)),
            ],
            options={
                "table": "mentor_language",
                "app": "models",
                "unique_together": (("mentor", "language"),),
                "indexes": [
                    Index(fields=["language", "mentor_id"], name="mentor_language_lookup_idx")
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MentorTopic",
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
                        related_name="topic_rows",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("topic", fields.CharField(max_length=40)),
            ],
            options={
                "table": "mentor_topic",
                "app": "models",
                "unique_together": (("mentor", "topic"),),
                "indexes": [Index(fields=["topic", "mentor_id"], name="mentor_topic_lookup_idx")],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Session",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=43),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sessions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={"table": "session", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
