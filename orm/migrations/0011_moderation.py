"""Moderation: roles, reports with copies of the messages they attach, suspension,
and the moderation log, which the database keeps append-only.

The log's triggers refuse UPDATE and DELETE on both engines, so that no code
path, and no one with the service's database account, can rewrite what a
moderator did (TRUNCATE, an owner's maintenance statement, stays possible).
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from orm.vocabulary import (
    ModerationAction,
    NotificationKind,
    ReportReason,
    ReportStatus,
    RoleName,
)

# The kinds of e-mail as of this migration (a moderator's warning is new).
NOTIFICATION_KINDS = [
    NotificationKind(value)
    for value in (
        "REQUEST_RECEIVED",
        "REQUEST_ACCEPTED",
        "REQUEST_DECLINED",
        "REQUEST_EXPIRED",
        "REQUEST_REMINDER",
        "AGREEMENT_PROPOSED",
        "UNREAD_MESSAGES",
        "MEETING_REMINDER",
        "MODERATION_WARNING",
    )
]

SQLITE_TRIGGERS = """
CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
"""

POSTGRES_TRIGGER = """
CREATE FUNCTION moderation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'moderation_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER moderation_log_append_only BEFORE UPDATE OR DELETE ON moderation_log
    FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only();
"""


async def create_triggers(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        await client.execute_script(SQLITE_TRIGGERS)
    else:
        await client.execute_script(POSTGRES_TRIGGER)


async def drop_triggers(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        await client.execute_script(
            "DROP TRIGGER IF EXISTS moderation_log_no_update;"
            " DROP TRIGGER IF EXISTS moderation_log_no_delete;"
        )
    else:
        await client.execute_script(
            "DROP TRIGGER IF EXISTS moderation_log_append_only ON moderation_log;"
            " DROP FUNCTION IF EXISTS moderation_log_append_only();"
        )


class Migration(migrations.Migration):
    dependencies = [("models", "0010_responsiveness")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ModerationEntry",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("moderator_id", fields.IntField()),
                ("member_id", fields.IntField()),
                ("report_id", fields.IntField(null=True)),
                (
                    "action",
                    fields.CharEnumField(
                        description="DISMISS: DISMISS\nWARN: WARN\nSUSPEND: SUSPEND\nREINSTATE: REINSTATE",
                        enum_type=ModerationAction,
                        max_length=12,
                    ),
                ),
                ("reason", fields.TextField(unique=False)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={"table": "moderation_log", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Report",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "reporter",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="reporter_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reports_made",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "reported",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="reported_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reports_received",
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
                        related_name="reports",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "reason",
                    fields.CharEnumField(
                        description="HARASSMENT: HARASSMENT\nSPAM: SPAM\nINAPPROPRIATE: INAPPROPRIATE\nFAKE_PROFILE: FAKE_PROFILE\nOTHER: OTHER",
                        enum_type=ReportReason,
                        max_length=16,
                    ),
                ),
                ("details", fields.TextField(null=True, unique=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ReportStatus.OPEN,
                        description="OPEN: OPEN\nDISMISSED: DISMISSED\nACTIONED: ACTIONED",
                        enum_type=ReportStatus,
                        max_length=12,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "resolved_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "report",
                "app": "models",
                "indexes": [Index(fields=["status", "id"], name="report_status_idx")],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReportedMessage",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "report",
                    fields.ForeignKeyField(
                        "models.Report",
                        source_field="report_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="messages",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("message_id", fields.IntField()),
                (
                    "sender",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="sender_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="messages_reported",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("body_sealed", fields.BinaryField()),
                ("key_id", fields.CharField(max_length=16)),
                ("sent_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={"table": "reported_message", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Role",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="roles",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "name",
                    fields.CharEnumField(
                        description="MODERATOR: MODERATOR", enum_type=RoleName, max_length=16
                    ),
                ),
                ("granted_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "role",
                "app": "models",
                "unique_together": (("user", "name"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="User",
            name="suspended_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddIndex(
            model_name="User",
            index=Index(fields=["suspended_at"], name="user_suspended_idx"),
        ),
        ops.AlterField(
            model_name="Notification",
            name="kind",
            field=fields.CharEnumField(
                description="\n".join(f"{kind.name}: {kind.value}" for kind in NOTIFICATION_KINDS),
                enum_type=NotificationKind,
                max_length=24,
            ),
        ),
        # The program's figures: counted from narrow indexes, not the wide rows.
        ops.AddIndex(
            model_name="MenteeProfile",
            index=Index(fields=["is_complete", "user_id"], name="mentee_stats_idx"),
        ),
        ops.AddIndex(
            model_name="MentorProfile",
            index=Index(
                fields=["is_complete", "accepting_mentees", "capacity", "mentee_count", "user_id"],
                name="mentor_stats_idx",
            ),
        ),
        ops.AddIndex(
            model_name="Message",
            index=Index(fields=["created_at"], name="message_created_idx"),
        ),
        ops.AddIndex(
            model_name="Relationship",
            index=Index(
                fields=["responded_at", "created_at", "status"], name="relationship_answer_idx"
            ),
        ),
        ops.RunPython(create_triggers, drop_triggers),
    ]
