"""Per-request DataLoaders: one per lookup path, never shared across requests.

A loader caches what it loaded for as long as it lives, so it is created with
each Context (HTTP) or each subscription event (WebSocket), never at import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from orm import loading, messages
from orm.loading import ContactKey
from orm.messages import LastKey, UnreadKey
from orm.models import Agreement, MenteeProfile, MentorProfile, Message, User


@dataclass
class Loaders:
    user: DataLoader[int, User | None] = field(
        default_factory=lambda: DataLoader(load_fn=loading.users_by_id)
    )
    mentor_by_user: DataLoader[int, MentorProfile | None] = field(
        default_factory=lambda: DataLoader(load_fn=loading.mentor_profiles_by_user)
    )
    mentee_by_user: DataLoader[int, MenteeProfile | None] = field(
        default_factory=lambda: DataLoader(load_fn=loading.mentee_profiles_by_user)
    )
    mentor: DataLoader[int, MentorProfile | None] = field(
        default_factory=lambda: DataLoader(load_fn=loading.mentor_profiles_by_id)
    )
    mentee: DataLoader[int, MenteeProfile | None] = field(
        default_factory=lambda: DataLoader(load_fn=loading.mentee_profiles_by_id)
    )
    # Every version per relationship; the current terms are picked from them.
    agreements: DataLoader[int, list[Agreement]] = field(
        default_factory=lambda: DataLoader(load_fn=loading.agreements_by_relationship)
    )
    request_message: DataLoader[int, Message | None] = field(
        default_factory=lambda: DataLoader(load_fn=messages.first_messages)
    )
    contact_links_visible: DataLoader[ContactKey, bool] = field(
        default_factory=lambda: DataLoader(load_fn=loading.contact_links_visible)
    )
    last_message: DataLoader[LastKey, Message | None] = field(
        default_factory=lambda: DataLoader(load_fn=messages.last_messages)
    )
    unread_count: DataLoader[UnreadKey, int] = field(
        default_factory=lambda: DataLoader(load_fn=messages.unread_counts)
    )
