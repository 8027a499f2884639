"""A member's locale, display name and e-mail switches: partial updates of their own."""

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


async def test_a_new_account_reads_english_with_every_switch_on(user: Client) -> None:
    viewer = (await user.op("NotificationSettings")).data["viewer"]

    assert viewer["locale"] == "EN"
    assert viewer["notificationSettings"] == ALL_ON


async def test_update_account_changes_only_what_was_sent(user: Client) -> None:
    changed = (await user.op("UpdateAccount", input={"locale": "DE"})).data["updateAccount"]
    renamed = (await user.op("UpdateAccount", input={"displayName": "  Uma U.  "})).data

    assert changed == {"id": user.user_id, "displayName": "Uma User", "locale": "DE"}
    assert renamed["updateAccount"] == {"id": user.user_id, "displayName": "Uma U.", "locale": "DE"}
    assert (await user.op("NotificationSettings")).data["viewer"]["locale"] == "DE"


async def test_update_account_refuses_a_null_or_empty_name_and_a_null_locale(
    user: Client,
) -> None:
    empty = await user.op("UpdateAccount", input={"displayName": "   "})
    null_name = await user.op("UpdateAccount", input={"displayName": None})
    null_locale = await user.op("UpdateAccount", input={"locale": None})
    unknown = await user.op("UpdateAccount", input={"locale": "FR"})

    assert (empty.code, empty.error_field) == ("BAD_USER_INPUT", "displayName")
    assert (null_name.code, null_name.error_field) == ("BAD_USER_INPUT", "displayName")
    assert (null_locale.code, null_locale.error_field) == ("BAD_USER_INPUT", "locale")
    assert unknown.code == "BAD_USER_INPUT"  # a variable that is no Locale
    viewer = (await user.op("NotificationSettings")).data["viewer"]
    assert viewer["locale"] == "EN"


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


async def test_signed_out_callers_change_nothing(anon: Client) -> None:
    account = await anon.op("UpdateAccount", input={"locale": "DE"})
    switches = await anon.op("UpdateNotificationSettings", input={"unreadMessages": False})

    assert account.code == switches.code == "UNAUTHENTICATED"
