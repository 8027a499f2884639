"""Per-request DataLoaders: one per lookup path, never shared across requests.

A loader caches what it loaded for as long as it lives, so it is created with
each Context (HTTP) or each subscription event (WebSocket), never at import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from orm import loading
from orm.models import MenteeProfile, MentorProfile, User


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
