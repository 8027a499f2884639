"""E-mail notification settings in GraphQL: the viewer's switches and their update."""

from __future__ import annotations

from typing import Annotated

import strawberry

from orm.notification_settings import Switches
from resolvers import notification_settings
from schema.core.context import Info
from schema.inputs import sent_fields
from schema.permissions import IsAuthenticated


@strawberry.type(description="Which e-mails the viewer wants; every switch starts on.")
class NotificationSettings:
    request_received: bool = strawberry.field(description="A mentee requested mentoring from you.")
    request_answered: bool = strawberry.field(
        description="Your request was accepted, declined, or expired unanswered."
    )
    request_reminders: bool = strawberry.field(
        description="A request to you is still unanswered after 7 and after 12 days."
    )
    agreement_proposed: bool = strawberry.field(
        description="Your partner proposed terms for your mentoring."
    )
    unread_messages: bool = strawberry.field(
        description="Messages have waited unread for 30 minutes while you were away "
        "(one digest, never the messages themselves)."
    )
    meeting_reminders: bool = strawberry.field(
        description="A confirmed meeting starts in 24 hours."
    )

    @classmethod
    def of(cls, switches: Switches) -> NotificationSettings:
        return cls(
            request_received=switches.request_received,
            request_answered=switches.request_answered,
            request_reminders=switches.request_reminders,
            agreement_proposed=switches.agreement_proposed,
            unread_messages=switches.unread_messages,
            meeting_reminders=switches.meeting_reminders,
        )


@strawberry.input(description="The switches to change; those left out stay as they are.")
class NotificationSettingsInput:
    request_received: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Requests received: true on, false off; null is refused.",
    )
    request_answered: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Answers to your requests: true on, false off; null is refused.",
    )
    request_reminders: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Reminders of unanswered requests: true on, false off; null is refused.",
    )
    agreement_proposed: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Proposed terms: true on, false off; null is refused.",
    )
    unread_messages: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Unread-messages digests: true on, false off; null is refused.",
    )
    meeting_reminders: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Meeting reminders: true on, false off; null is refused.",
    )


async def resolve_update_notification_settings(
    info: Info,
    input: Annotated[
        NotificationSettingsInput, strawberry.argument(description="The switches to change.")
    ],
) -> NotificationSettings:
    viewer = await info.context.require_viewer()
    switches = await notification_settings.update_notification_settings(viewer, sent_fields(input))
    return NotificationSettings.of(switches)


@strawberry.type(description="Changes to the viewer's e-mail switches.")
class NotificationMutations:
    update_notification_settings: NotificationSettings = strawberry.mutation(
        resolver=resolve_update_notification_settings,
        permission_classes=[IsAuthenticated],
        description="Switch kinds of e-mail on or off (a partial update).",
    )
