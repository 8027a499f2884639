"""E-mail notifications: the outbox, the members' switches and locale, presence, digests.

- `notification`: the outbox, one row per e-mail, written in the transaction
  of the change that causes it and sent after commit.
- `notification_settings`: a member's switches per kind (no row: all on).
- `presence`: when a member was last seen (a request or a live socket).
- `unread_digest`: the last unread-messages digest per conversation and member.
- `user.locale`: DE or EN, EN for the members who were there before.
"""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from orm.vocabulary import DeliveryStatus, Locale, NotificationKind


class Migration(migrations.Migration):
    dependencies = [("models", "0007_drop_unread_data")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Notification",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="REQUEST_RECEIVED: REQUEST_RECEIVED\nREQUEST_ACCEPTED: REQUEST_ACCEPTED\nREQUEST_DECLINED: REQUEST_DECLINED\nREQUEST_EXPIRED: REQUEST_EXPIRED\nREQUEST_REMINDER: REQUEST_REMINDER\nAGREEMENT_PROPOSED: AGREEMENT_PROPOSED\nUNREAD_MESSAGES: UNREAD_MESSAGES\nMEETING_REMINDER: MEETING_REMINDER",
                        enum_type=NotificationKind,
                        max_length=24,
                    ),
                ),
                (
                    "recipient",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="recipient_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="notifications",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "relationship",
                    fields.ForeignKeyField(
                        "models.Relationship",
                        source_field="relationship_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="notifications",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("reminder_day", fields.SmallIntField(null=True)),
                ("through_seq", fields.IntField(null=True)),
                ("dedupe_key", fields.CharField(null=True, unique=True, max_length=100)),
                (
                    "status",
                    fields.CharEnumField(
                        default=DeliveryStatus.PENDING,
                        description="PENDING: PENDING\nSENT: SENT\nSKIPPED: SKIPPED\nFAILED: FAILED\nDEAD: DEAD",
                        enum_type=DeliveryStatus,
                        max_length=8,
                    ),
                ),
                ("attempts", fields.IntField(default=0)),
                ("due_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("claim", fields.CharField(null=True, max_length=32)),
                (
                    "claimed_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "finished_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("last_error", fields.CharField(null=True, max_length=300)),
            ],
            options={
                "table": "notification",
                "app": "models",
                "indexes": [Index(fields=["status", "due_at"], name="notification_due_idx")],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="NotificationSettings",
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
                        related_name="notification_settings",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("request_received", fields.BooleanField(default=True)),
                ("request_answered", fields.BooleanField(default=True)),
                ("request_reminders", fields.BooleanField(default=True)),
                ("agreement_proposed", fields.BooleanField(default=True)),
                ("unread_messages", fields.BooleanField(default=True)),
                ("meeting_reminders", fields.BooleanField(default=True)),
            ],
            options={"table": "notification_settings", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Presence",
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
                        related_name="presence",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("seen_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={"table": "presence", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="UnreadDigest",
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
                        related_name="unread_digests",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="unread_digests",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("through_seq", fields.IntField()),
                ("queued_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "unread_digest",
                "app": "models",
                "unique_together": (("relationship", "user"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="User",
            name="locale",
            field=fields.CharEnumField(
                default=Locale.EN,
                description="DE: DE\nEN: EN",
                db_default="EN",
                enum_type=Locale,
                max_length=2,
            ),
        ),
    ]
