"""Per-request DataLoaders: one per lookup path, never shared across requests.

A loader caches what it loaded for as long as it lives, so a set of loaders
is created with each Context (HTTP) or each subscription event (WebSocket),
never at import. Each loader is made on first use: most operations need one
or two of them, and a request should not pay for the others.
"""

from __future__ import annotations

from functools import cached_property

from strawberry.dataloader import DataLoader

from orm import (
    action_steps,
    circles,
    listing,
    loading,
    meetings,
    messages,
    moderation,
    responsiveness,
    roles,
)
from orm.circles import Circle
from orm.listing import Listed
from orm.loading import ContactKey
from orm.messages import LastKey, UnreadKey
from orm.models import (
    ActionStep,
    Agreement,
    Feedback,
    Meeting,
    MenteeProfile,
    MentorProfile,
    Message,
    ModerationEntry,
    Report,
    ReportedMessage,
    User,
)
from orm.records import ActionStepRecord, MeetingRecord
from orm.responsiveness import Answers
from orm.vocabulary import RoleName


async def _moderators(user_ids: list[int]) -> list[bool]:
    return await roles.holding(RoleName.MODERATOR, user_ids)


class Loaders:
    @cached_property
    def user(self) -> DataLoader[int, User | None]:
        return DataLoader(load_fn=loading.users_by_id)

    @cached_property
    def mentor_by_user(self) -> DataLoader[int, MentorProfile | None]:
        return DataLoader(load_fn=loading.mentor_profiles_by_user)

    @cached_property
    def mentee_by_user(self) -> DataLoader[int, MenteeProfile | None]:
        return DataLoader(load_fn=loading.mentee_profiles_by_user)

    @cached_property
    def mentor(self) -> DataLoader[int, MentorProfile | None]:
        return DataLoader(load_fn=loading.mentor_profiles_by_id)

    @cached_property
    def mentee(self) -> DataLoader[int, MenteeProfile | None]:
        return DataLoader(load_fn=loading.mentee_profiles_by_id)

    @cached_property
    def agreements(self) -> DataLoader[int, list[Agreement]]:
        """Every version per relationship; the current terms are picked from them."""
        return DataLoader(load_fn=loading.agreements_by_relationship)

    @cached_property
    def agreement(self) -> DataLoader[int, Agreement | None]:
        return DataLoader(load_fn=loading.agreements_by_id)

    @cached_property
    def relationship(self) -> DataLoader[int, Listed | None]:
        """A relationship and its participants, whoever asks: the caller checks who may see it."""
        return DataLoader(load_fn=listing.by_ids)

    @cached_property
    def feedback(self) -> DataLoader[int, Feedback | None]:
        return DataLoader(load_fn=loading.feedback_by_id)

    @cached_property
    def feedback_by_relationship(self) -> DataLoader[int, list[Feedback]]:
        return DataLoader(load_fn=loading.feedback_by_relationship)

    @cached_property
    def message(self) -> DataLoader[int, Message | None]:
        return DataLoader(load_fn=loading.messages_by_id)

    @cached_property
    def circle(self) -> DataLoader[int, Circle]:
        """A user's relationships and partners, by user id: what visibility asks."""
        return DataLoader(load_fn=circles.circles_of)

    @cached_property
    def request_message(self) -> DataLoader[int, Message | None]:
        return DataLoader(load_fn=messages.first_messages)

    @cached_property
    def contact_links_visible(self) -> DataLoader[ContactKey, bool]:
        return DataLoader(load_fn=loading.contact_links_visible)

    @cached_property
    def last_message(self) -> DataLoader[LastKey, Message | None]:
        return DataLoader(load_fn=messages.last_messages)

    @cached_property
    def unread_count(self) -> DataLoader[UnreadKey, int]:
        return DataLoader(load_fn=messages.unread_counts)

    @cached_property
    def action_step(self) -> DataLoader[int, ActionStep | None]:
        """Action steps by id (for `node`)."""
        return DataLoader(load_fn=action_steps.by_ids)

    @cached_property
    def meeting(self) -> DataLoader[int, Meeting | None]:
        """Meetings by id (for `node`)."""
        return DataLoader(load_fn=meetings.by_ids)

    @cached_property
    def action_steps(self) -> DataLoader[int, list[ActionStepRecord]]:
        """Each relationship's steps, by due date then creation."""
        return DataLoader(load_fn=action_steps.by_relationship)

    @cached_property
    def meetings(self) -> DataLoader[int, list[MeetingRecord]]:
        """Each relationship's meetings, by start."""
        return DataLoader(load_fn=meetings.by_relationship)

    @cached_property
    def is_moderator(self) -> DataLoader[int, bool]:
        """Whether a user holds the MODERATOR role: each moderation field asks it."""
        return DataLoader(load_fn=_moderators)

    @cached_property
    def report(self) -> DataLoader[int, Report | None]:
        return DataLoader(load_fn=moderation.reports_by_ids)

    @cached_property
    def reported_messages(self) -> DataLoader[int, list[ReportedMessage]]:
        """Each report's attached copies, by report id."""
        return DataLoader(load_fn=moderation.copies_of)

    @cached_property
    def reported_message(self) -> DataLoader[int, ReportedMessage | None]:
        return DataLoader(load_fn=moderation.copies_by_ids)

    @cached_property
    def moderation_entry(self) -> DataLoader[int, ModerationEntry | None]:
        return DataLoader(load_fn=moderation.log_entries_by_ids)

    @cached_property
    def answers(self) -> DataLoader[int, Answers]:
        """Each mentor's answered and expired requests (for `Mentor.responsiveness`)."""
        return DataLoader(load_fn=responsiveness.answers_by_mentor)
