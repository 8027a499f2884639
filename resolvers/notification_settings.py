"""Which e-mails a member wants: one switch per group of kinds, all on at first.

`updateNotificationSettings` is a partial update: the switches sent change,
the others stay; an explicit null is refused (a switch is on or off). The
sender reads the switches again when it sends, so a kind switched off after
an e-mail was queued stops that e-mail too.
"""

from __future__ import annotations

from collections.abc import Mapping

from orm import notification_settings as setting_rows
from orm.models import User
from orm.notification_settings import Switches
from orm.vocabulary import NotificationSetting
from resolvers.catalogue import _
from resolvers.errors import BadUserInput

# The input's field names (as in the schema) and the switch each sets.
INPUT_FIELDS: dict[str, NotificationSetting] = {
    "requestReceived": NotificationSetting.REQUEST_RECEIVED,
    "requestAnswered": NotificationSetting.REQUEST_ANSWERED,
    "requestReminders": NotificationSetting.REQUEST_REMINDERS,
    "agreementProposed": NotificationSetting.AGREEMENT_PROPOSED,
    "unreadMessages": NotificationSetting.UNREAD_MESSAGES,
    "meetingReminders": NotificationSetting.MEETING_REMINDERS,
}


async def settings_of(user: User) -> Switches:
    return await setting_rows.of(user.id)


async def update_notification_settings(
    viewer: User, changes: Mapping[str, bool | None]
) -> Switches:
    """Apply the sent switches; the member's switches after the change."""
    switches: dict[NotificationSetting, bool] = {}
    for field, value in changes.items():
        if value is None:
            raise BadUserInput(field, _("must be true or false, not null."))
        switches[INPUT_FIELDS[field]] = value
    return await setting_rows.change(viewer.id, switches)
