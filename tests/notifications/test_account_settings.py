"""A member's locale and display name (`updateAccount`): partial updates of their own."""

from __future__ import annotations

from tests.notifications.test_notification_settings import ALL_ON
from tests.support import Client


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


async def test_signed_out_callers_change_nothing(anon: Client) -> None:
    account = await anon.op("UpdateAccount", input={"locale": "DE"})
    switches = await anon.op("UpdateNotificationSettings", input={"unreadMessages": False})

    assert account.code == switches.code == "UNAUTHENTICATED"
