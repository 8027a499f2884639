"""Viewer events: what happened to a user's relationships, pushed after commit.

A notice on the user's channel is `{"type": "event", "id", "kind",
"relationship", "at"}`, `id` a random token that names the event (a client
that receives one twice, say over two sockets, can tell); the transitions
in a request's outbox become one notice per participant other than the
actor (both, when the service moved it).

Revocations (`logout`) travel on the session's own channel,
`session:<session id>`, which carries nothing else: every live subscription
of that token listens there and stops, and a `messageAdded` stream, which
needs only wake-ups and revocations, is not woken by the user's events.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from orm.vocabulary import EventKind
from resolvers.hub import Hub, user_channel
from resolvers.lifecycle import Announcement, Transition

EVENT, REVOKED = "event", "revoked"


# Bytes of randomness in an event's id: unique without any shared counter.
EVENT_ID_BYTES = 12


@dataclass(frozen=True)
class ViewerEvent:
    kind: EventKind
    relationship_id: int
    at: datetime
    id: str

    @classmethod
    def from_notice(cls, notice: dict[str, Any]) -> ViewerEvent:
        return cls(
            EventKind(notice["kind"]),
            int(notice["relationship"]),
            datetime.fromisoformat(notice["at"]),
            # A notice from a process older than event ids gets one here.
            str(notice.get("id") or new_event_id()),
        )


def new_event_id() -> str:
    return secrets.token_urlsafe(EVENT_ID_BYTES)


async def publish(
    hub: Hub, kind: EventKind, relationship_id: int, at: datetime, user_ids: Iterable[int]
) -> None:
    notice = {
        "type": EVENT,
        "id": new_event_id(),
        "kind": kind.value,
        "relationship": relationship_id,
        "at": at.isoformat(),
    }
    for user_id in user_ids:
        await hub.publish(user_channel(user_id), notice)


async def publish_transitions(hub: Hub, transitions: Sequence[Transition]) -> None:
    for transition in transitions:
        kind = transition.event
        if kind is None:
            continue
        concerned = [uid for uid in transition.user_ids if uid != transition.actor_id]
        await publish(hub, kind, transition.relationship.id, transition.at, concerned)


async def publish_announcements(hub: Hub, announcements: Sequence[Announcement]) -> None:
    for announcement in announcements:
        await publish(
            hub,
            announcement.kind,
            announcement.relationship_id,
            announcement.at,
            announcement.user_ids,
        )


def session_channel(session_id: str) -> str:
    return f"session:{session_id}"


async def publish_revocation(hub: Hub, session_id: str) -> None:
    await hub.publish(session_channel(session_id), {"type": REVOKED, "session": session_id})


def revokes(notice: dict[str, Any], session_id: str) -> bool:
    return notice.get("type") == REVOKED and notice.get("session") == session_id
