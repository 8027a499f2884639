"""Reporting a member to the moderators, with messages of the reporter's own conversation.

A report may attach messages of a conversation between the reporter and the
reported member, and only those: one message of any other conversation (or
of no conversation at all) makes the whole report NOT_FOUND, and nothing is
stored. The messages are copied into the report, so that moderators read
exactly what the reporter chose to show them (see `orm.moderation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from orm import moderation as rows
from orm.member_keys import MessageKeys
from orm.models import Report, User
from orm.vocabulary import ReportReason
from resolvers import nodes, ratelimit, validation
from resolvers.catalogue import _
from resolvers.errors import BadUserInput, NotFound
from resolvers.ids import Kind, key_of, parse_id
from resolvers.loaders import Loaders
from resolvers.ratelimit import POLICIES, RateLimiter

MAX_DETAILS = 4000
# As many messages as a conversation page shows: enough to show a pattern.
MAX_MESSAGES = 50


def _message_keys(message_ids: Sequence[str] | None) -> list[int]:
    if not message_ids:
        return []
    if len(message_ids) > MAX_MESSAGES:
        raise BadUserInput(
            "messageIds", _("must have at most {max_items} entries.", max_items=MAX_MESSAGES)
        )
    keys = [key_of(value, Kind.MESSAGE) for value in message_ids]
    if any(key is None for key in keys):
        raise NotFound("message")
    return list(dict.fromkeys(key for key in keys if key is not None))


async def report_member(
    viewer: User,
    *,
    limiter: RateLimiter,
    member_keys: MessageKeys,
    member_id: str,
    reason: ReportReason,
    details: str | None,
    relationship_id: str | None,
    message_ids: Sequence[str] | None,
    now: datetime,
) -> Report:
    await ratelimit.hit_for_user(limiter, POLICIES.reports_per_user, viewer.id)
    text = validation.text("details", details, max_length=MAX_DETAILS, multiline=True)
    message_keys = _message_keys(message_ids)
    reported_key = parse_id(member_id, what="member")
    if reported_key == viewer.id:
        raise BadUserInput("memberId", _("is you: a report is about another member."))
    # Whom the reporter may see, as `node` answers: nobody else can be reported.
    if reported_key not in await nodes.members(Loaders(), viewer, [reported_key]):
        raise NotFound("member")
    relationship_key = None
    if relationship_id is not None:
        relationship_key = parse_id(relationship_id, what="relationship")
        if not await rows.relationship_between(relationship_key, viewer.id, reported_key):
            raise NotFound("relationship")
    messages = await rows.messages_between(message_keys, viewer.id, reported_key, relationship_key)
    if len(messages) != len(message_keys):
        raise NotFound("message")
    if relationship_key is None and messages:
        relationship_key = messages[0].relationship_id
    new = rows.NewReport(viewer.id, reported_key, relationship_key, reason, text, now)
    return await rows.file_report(new, messages, member_keys)
