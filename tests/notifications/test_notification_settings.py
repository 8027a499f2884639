"""A member's e-mail switches (`updateNotificationSettings`): partial updates of their own."""

from __future__ import annotations

from tests.support import Client

ALL_ON = {
    "requestReceived": True,
    "requestAnswered": True,
    "requestReminders": True,
    "agreementProposed": True,
    "unreadMessages": True,
    "meetingReminders": True,
}


async def test_update_notification_settings_changes_only_the_switches_sent(user: Client) -> None:
    first = await user.op("UpdateNotificationSettings", input={"unreadMessages": False})
    second = await user.op(
        "UpdateNotificationSettings", input={"requestReminders": False, "unreadMessages": True}
    )

    assert first.data["updateNotificationSettings"] == ALL_ON | {"unreadMessages": False}
    assert second.data["updateNotificationSettings"] == ALL_ON | {"requestReminders": False}
    viewer = (await user.op("NotificationSettings")).data["viewer"]
    assert viewer["notificationSettings"] == ALL_ON | {"requestReminders": False}


async def test_a_switch_sent_as_null_is_refused_and_nothing_changes(user: Client) -> None:
    reply = await user.op(
        "UpdateNotificationSettings", input={"requestReceived": False, "agreementProposed": None}
    )

    assert (reply.code, reply.error_field) == ("BAD_USER_INPUT", "agreementProposed")
    viewer = (await user.op("NotificationSettings")).data["viewer"]
    assert viewer["notificationSettings"] == ALL_ON


async def test_each_member_has_their_own_switches(user: Client, anon: Client) -> None:
    other = await anon.register("other@example.org", "Otto")

    await other.op("UpdateNotificationSettings", input={"requestReceived": False})

    assert (await user.op("NotificationSettings")).data["viewer"]["notificationSettings"] == ALL_ON
