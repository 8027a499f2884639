"""Tortoise models: the tables of the service.

Class docstrings would become table comments, so the notes here are comments.

A mentor's topics and languages are JSON lists on the profile (what a read
returns, in one row). Search and scoring read the topics through
`topic_mask`, a bitmask written with the list (`orm.profiles`), and the
languages from the list itself (`orm.sql` JSON functions).
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.indexes import Index

from orm.compat_tortoise import Model
from orm.vocabulary import (
    DeliveryStatus,
    Locale,
    ModerationAction,
    NotificationKind,
    ReportReason,
    ReportStatus,
    RoleName,
)


class User(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    display_name = fields.CharField(max_length=100)
    password_hash = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)
    # The language of the member's e-mails, and of responses without Accept-Language.
    locale = fields.CharEnumField(Locale, max_length=2, default=Locale.EN, db_default="EN")
    # Set by a moderator (`resolvers.moderation`): the member cannot sign in,
    # and their profiles are found by no search or suggestion, until reinstated.
    suspended_at = fields.DatetimeField(null=True)
    # When the member erased their account (`resolvers.erasure`): the row stays,
    # overwritten, so that partners' conversations keep their shape.
    erased_at = fields.DatetimeField(null=True)

    class Meta:
        table = "user"
        # Search and suggestions leave the (few) suspended members out by this index.
        indexes = (Index(fields=("suspended_at",), name="user_suspended_idx"),)


# One issued bearer token: logging out revokes it for every process at once.
class Session(Model):
    id = fields.CharField(max_length=43, primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="sessions", on_delete=fields.CASCADE
    )
    user_id: int
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "session"


class ProfileBase(Model):
    headline = fields.CharField(max_length=120, null=True)
    bio = fields.TextField(null=True)
    country = fields.CharField(max_length=2, null=True)
    city = fields.CharField(max_length=100, null=True)
    timezone = fields.CharField(max_length=64, null=True)
    languages: Any = fields.JSONField(default=list)
    industry = fields.CharField(max_length=100, null=True)
    field_of_study = fields.CharField(max_length=100, null=True)
    years_of_experience = fields.IntField(null=True)
    topics: Any = fields.JSONField(default=list)
    channels: Any = fields.JSONField(default=list)
    contact_links: Any = fields.JSONField(default=list)
    is_complete = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        abstract = True


class MentorProfile(ProfileBase):
    id = fields.IntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="mentor_profile", on_delete=fields.CASCADE
    )
    user_id: int
    capacity = fields.IntField(null=True)
    accepting_mentees = fields.BooleanField(default=True)
    # Accepted plus active relationships, kept in step by the relationship
    # transitions, so that "has free capacity" is a column comparison in SQL.
    mentee_count = fields.IntField(default=0)
    # The topics as a bitmask (`orm.vocabulary.topic_mask`), written with the
    # JSON list, so that scoring counts shared topics without a join.
    topic_mask = fields.IntField(default=0, db_default=0)
    # Requests accepted, declined or expired, and those answered within two
    # days (`orm.rules.responsiveness`): kept in step by the moves that decide
    # a request, so that scoring reads two integers and no relationship.
    requests_decided = fields.IntField(default=0, db_default=0)
    answered_quickly = fields.IntField(default=0, db_default=0)

    class Meta:
        table = "mentor_profile"
        indexes = (
            Index(fields=("is_complete", "accepting_mentees"), name="mentor_ready_idx"),
            # Narrow and covering: the program's figures count mentors from it
            # without reading the wide rows (`orm.program_stats`).
            Index(
                fields=("is_complete", "accepting_mentees", "capacity", "mentee_count", "user_id"),
                name="mentor_stats_idx",
            ),
        )


class MenteeProfile(ProfileBase):
    id = fields.IntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="mentee_profile", on_delete=fields.CASCADE
    )
    user_id: int
    situation = fields.CharField(max_length=20, null=True)
    target_country = fields.CharField(max_length=2, null=True)
    goals = fields.TextField(null=True)

    class Meta:
        table = "mentee_profile"
        indexes = (Index(fields=("is_complete", "user_id"), name="mentee_stats_idx"),)


# A mentee's request to a mentor and, once accepted, their mentoring.
# `status` holds RelationshipStatus values; every change goes through the
# state machine in `resolvers.lifecycle`. Times come from the service's clock
# (not auto_now_add), so that expiry can be tested without waiting. The
# request's `created_at` and the answer's `responded_at` are what a mentor's
# responsiveness (answered, share answered in time, hours to answer) is
# computed from.
class Relationship(Model):
    id = fields.IntField(primary_key=True)
    mentor: fields.ForeignKeyRelation[MentorProfile] = fields.ForeignKeyField(
        "models.MentorProfile", related_name="relationships", on_delete=fields.CASCADE
    )
    mentor_id: int
    mentee: fields.ForeignKeyRelation[MenteeProfile] = fields.ForeignKeyField(
        "models.MenteeProfile", related_name="relationships", on_delete=fields.CASCADE
    )
    mentee_id: int
    status = fields.CharField(max_length=12)
    request_topics: Any = fields.JSONField(default=list)
    request_goals = fields.TextField(null=True)
    created_at = fields.DatetimeField()
    responded_at = fields.DatetimeField(null=True)
    decline_reason = fields.TextField(null=True)
    ended_at = fields.DatetimeField(null=True)
    end_reason = fields.TextField(null=True)
    # Copied from the accepted agreement: the current terms' span.
    starts_on = fields.DateField(null=True)
    ends_on = fields.DateField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)
    # The conversation's counter: each message takes the next value inside
    # its sending transaction (under this row's lock), so that per
    # conversation, commit order is seq order and readers following
    # "seq > cursor" never skip a message committed late.
    last_seq = fields.IntField(default=0, db_default=0)
    # Read markers: the seq up to which each side has read.
    mentor_read_seq = fields.IntField(default=0, db_default=0)
    mentee_read_seq = fields.IntField(default=0, db_default=0)

    class Meta:
        table = "relationship"
        indexes = (
            Index(fields=("mentee_id", "status"), name="relationship_mentee_idx"),
            Index(fields=("mentor_id", "status"), name="relationship_mentor_idx"),
            # The expiry and completion sweeps.
            Index(fields=("status", "created_at"), name="relationship_expiry_idx"),
            Index(fields=("status", "ends_on"), name="relationship_completion_idx"),
            # Answered requests, with what the acceptance rate and the median read.
            Index(fields=("responded_at", "created_at", "status"), name="relationship_answer_idx"),
        )


# One version of a relationship's terms. Proposing adds version n+1; the
# accepted version is the current terms until another version is accepted.
class Agreement(Model):
    id = fields.IntField(primary_key=True)
    relationship: fields.ForeignKeyRelation[Relationship] = fields.ForeignKeyField(
        "models.Relationship", related_name="agreements", on_delete=fields.CASCADE
    )
    relationship_id: int
    version = fields.IntField()
    proposed_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="proposed_agreements", on_delete=fields.CASCADE
    )
    proposed_by_id: int
    status = fields.CharField(max_length=12)
    goals: Any = fields.JSONField(default=list)
    topics: Any = fields.JSONField(default=list)
    expectations = fields.TextField(null=True)
    cadence = fields.CharField(max_length=12)
    channels: Any = fields.JSONField(default=list)
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    created_at = fields.DatetimeField()
    accepted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "agreement"
        unique_together = (("relationship", "version"),)


# What one participant says about a finished relationship: once each.
class Feedback(Model):
    id = fields.IntField(primary_key=True)
    relationship: fields.ForeignKeyRelation[Relationship] = fields.ForeignKeyField(
        "models.Relationship", related_name="feedback", on_delete=fields.CASCADE
    )
    relationship_id: int
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="feedback_given", on_delete=fields.CASCADE
    )
    author_id: int
    rating = fields.SmallIntField()
    comment = fields.TextField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "feedback"
        unique_together = (("relationship", "author"),)


# A message in a relationship's conversation; the request message is the
# first. Written only through `orm.messages.add_message`. The body is stored
# sealed (AES-GCM, `orm.encryption`), never in plain text; `key_id` names the
# key that sealed it, so that keys can rotate.
class Message(Model):
    id = fields.IntField(primary_key=True)
    relationship: fields.ForeignKeyRelation[Relationship] = fields.ForeignKeyField(
        "models.Relationship", related_name="messages", on_delete=fields.CASCADE
    )
    relationship_id: int
    sender: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="messages_sent", on_delete=fields.CASCADE
    )
    sender_id: int
    seq = fields.IntField()
    body_sealed = fields.BinaryField()
    key_id = fields.CharField(max_length=16)
    client_message_id = fields.CharField(max_length=100, null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "message"
        unique_together = (("relationship", "seq"), ("sender", "client_message_id"))
        # Messages of the last 30 days, counted for the program's figures.
        indexes = (Index(fields=("created_at",), name="message_created_idx"),)


# A concrete step the partners agreed on. Either participant edits it;
# `updated_at` comes from the service's clock, like every time here.
class ActionStep(Model):
    id = fields.IntField(primary_key=True)
    relationship: fields.ForeignKeyRelation[Relationship] = fields.ForeignKeyField(
        "models.Relationship", related_name="action_steps", on_delete=fields.CASCADE
    )
    relationship_id: int
    title = fields.CharField(max_length=200)
    notes = fields.TextField(null=True)
    due_on = fields.DateField(null=True)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="action_steps_owned", on_delete=fields.CASCADE
    )
    owner_id: int
    created_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="action_steps_created", on_delete=fields.CASCADE
    )
    created_by_id: int
    done_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "action_step"
        indexes = (Index(fields=("relationship_id", "due_on"), name="action_step_order_idx"),)


# A meeting one participant proposed. `ends_at` is stored with `starts_at`
# so that overlap is two column comparisons; `sequence` counts the changes
# calendar apps must see (RFC 5545 SEQUENCE); `confirmed_at` tells a
# cancelled meeting that calendars showed from one they never did.
class Meeting(Model):
    id = fields.IntField(primary_key=True)
    relationship: fields.ForeignKeyRelation[Relationship] = fields.ForeignKeyField(
        "models.Relationship", related_name="meetings", on_delete=fields.CASCADE
    )
    relationship_id: int
    proposed_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="meetings_proposed", on_delete=fields.CASCADE
    )
    proposed_by_id: int
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    duration_minutes = fields.SmallIntField()
    channel = fields.CharField(max_length=20)
    location = fields.CharField(max_length=500, null=True)
    agenda = fields.TextField(null=True)
    status = fields.CharField(max_length=12)
    cancel_reason = fields.TextField(null=True)
    sequence = fields.IntField(default=0)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    confirmed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "meeting"
        indexes = (
            Index(fields=("relationship_id", "starts_at"), name="meeting_relationship_idx"),
            Index(fields=("status", "starts_at"), name="meeting_status_idx"),
        )


# A member's secret calendar feed: only the token's SHA-256 is stored, so a
# copy of the database opens no feed. The token itself is derived from the
# service's secret key and `nonce` (`resolvers.calendar_feed`), which lets
# the viewer read their URL again; resetting draws a new nonce.
class CalendarFeed(Model):
    id = fields.IntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="calendar_feed", on_delete=fields.CASCADE
    )
    user_id: int
    nonce = fields.CharField(max_length=43)
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "calendar_feed"


# A member's e-mail switches, one per group of kinds (`orm.vocabulary.SETTING_OF`).
# No row: every switch is on.
class NotificationSettings(Model):
    id = fields.IntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="notification_settings", on_delete=fields.CASCADE
    )
    user_id: int
    request_received = fields.BooleanField(default=True)
    request_answered = fields.BooleanField(default=True)
    request_reminders = fields.BooleanField(default=True)
    agreement_proposed = fields.BooleanField(default=True)
    unread_messages = fields.BooleanField(default=True)
    meeting_reminders = fields.BooleanField(default=True)

    class Meta:
        table = "notification_settings"


# The outbox: one e-mail to send, written in the transaction of the change
# that causes it and delivered after commit by `resolvers.outbox_sender`.
# What it says is rendered when it is sent, from the rows as they are then,
# so that a member who left or switched the kind off gets nothing. A sender
# claims a row by setting `claim` and `claimed_until` (its lease): a row whose
# lease ran out (its sender died) is claimed again. `dedupe_key` makes
# scheduled kinds (reminders, digests) idempotent across sweeps and processes.
class Notification(Model):
    id = fields.BigIntField(primary_key=True)
    kind = fields.CharEnumField(NotificationKind, max_length=24)
    recipient: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="notifications", on_delete=fields.CASCADE
    )
    recipient_id: int
    relationship: fields.ForeignKeyNullableRelation[Relationship] = fields.ForeignKeyField(
        "models.Relationship",
        related_name="notifications",
        on_delete=fields.CASCADE,
        null=True,
    )
    relationship_id: int | None
    # Reminders: the day of the request (7 or 12); digests: the last message they cover.
    reminder_day = fields.SmallIntField(null=True)
    through_seq = fields.IntField(null=True)
    # Meeting reminders: the meeting, and the start it was queued for (a moved
    # meeting's reminder no longer holds). No foreign key: a meeting goes only
    # with its relationship, which takes its notifications along.
    meeting_id = fields.IntField(null=True)
    meeting_starts_at = fields.DatetimeField(null=True)
    dedupe_key = fields.CharField(max_length=100, null=True, unique=True)
    status = fields.CharEnumField(DeliveryStatus, max_length=8, default=DeliveryStatus.PENDING)
    attempts = fields.IntField(default=0)
    due_at = fields.DatetimeField()
    claim = fields.CharField(max_length=32, null=True)
    claimed_until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=300, null=True)

    class Meta:
        table = "notification"
        indexes = (Index(fields=("status", "due_at"), name="notification_due_idx"),)


# When a member was last seen: a request, or an open live socket. Written in
# batches (`resolvers.presence`), read by the unread-messages digest.
class Presence(Model):
    id = fields.IntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="presence", on_delete=fields.CASCADE
    )
    user_id: int
    seen_at = fields.DatetimeField()

    class Meta:
        table = "presence"


# The last unread-messages digest of one conversation to one participant: the
# next one covers only later messages, and waits six hours after this one.
class UnreadDigest(Model):
    id = fields.IntField(primary_key=True)
    relationship: fields.ForeignKeyRelation[Relationship] = fields.ForeignKeyField(
        "models.Relationship", related_name="unread_digests", on_delete=fields.CASCADE
    )
    relationship_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="unread_digests", on_delete=fields.CASCADE
    )
    user_id: int
    through_seq = fields.IntField()
    queued_at = fields.DatetimeField()

    class Meta:
        table = "unread_digest"
        unique_together = (("relationship", "user"),)


# A role the operator granted a member from the command line; no row, no role.
class Role(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="roles", on_delete=fields.CASCADE
    )
    user_id: int
    name = fields.CharEnumField(RoleName, max_length=16)
    granted_at = fields.DatetimeField()

    class Meta:
        table = "role"
        unique_together = (("user", "name"),)


# A member's report of another member, for moderators. `relationship` is the
# conversation the reporter attached messages of, if any.
class Report(Model):
    id = fields.IntField(primary_key=True)
    reporter: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="reports_made", on_delete=fields.CASCADE
    )
    reporter_id: int
    reported: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="reports_received", on_delete=fields.CASCADE
    )
    reported_id: int
    relationship: fields.ForeignKeyNullableRelation[Relationship] = fields.ForeignKeyField(
        "models.Relationship", related_name="reports", on_delete=fields.SET_NULL, null=True
    )
    relationship_id: int | None
    reason = fields.CharEnumField(ReportReason, max_length=16)
    details = fields.TextField(null=True)
    status = fields.CharEnumField(ReportStatus, max_length=12, default=ReportStatus.OPEN)
    created_at = fields.DatetimeField()
    resolved_at = fields.DatetimeField(null=True)

    class Meta:
        table = "report"
        indexes = (Index(fields=("status", "id"), name="report_status_idx"),)


# A copy of one message the reporter attached, sealed like the message
# (`orm.encryption`): moderators read these, never the conversation itself.
# `message_id` names the original, which may change or go; the copy stays.
class ReportedMessage(Model):
    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="messages", on_delete=fields.CASCADE
    )
    report_id: int
    message_id = fields.IntField()
    sender: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="messages_reported", on_delete=fields.CASCADE
    )
    sender_id: int
    body_sealed = fields.BinaryField()
    key_id = fields.CharField(max_length=16)
    sent_at = fields.DatetimeField()

    class Meta:
        table = "reported_message"


# Every moderator action, append-only: a trigger refuses UPDATE and DELETE
# (migration 0011). Plain ids rather than foreign keys, so that no deletion
# elsewhere cascades into it.
class ModerationEntry(Model):
    id = fields.IntField(primary_key=True)
    moderator_id = fields.IntField()
    member_id = fields.IntField()
    report_id = fields.IntField(null=True)
    action = fields.CharEnumField(ModerationAction, max_length=12)
    reason = fields.TextField()
    at = fields.DatetimeField()

    class Meta:
        table = "moderation_log"


# One member blocking another: the two no longer see or reach each other
# (`orm.member_blocks`). Either may have blocked; a pair is stored once per
# direction, so unblocking undoes only one's own block.
class MemberBlock(Model):
    id = fields.IntField(primary_key=True)
    blocker: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="blocks_made", on_delete=fields.CASCADE
    )
    blocker_id: int
    blocked: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="blocks_received", on_delete=fields.CASCADE
    )
    blocked_id: int
    created_at = fields.DatetimeField()

    class Meta:
        table = "member_block"
        unique_together = (("blocker", "blocked"),)
        indexes = (Index(fields=("blocked_id",), name="member_block_blocked_idx"),)
