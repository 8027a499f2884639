"""A moderator's warning (resolveReport WARN): one e-mail, in the member's language.

It goes through the outbox like every e-mail, tells the member without
naming the reporter or anything written, and has no unsubscribe link: no
switch turns a moderator's message off.
"""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from tests.moderation.helpers import moderator_client, report
from tests.notifications.conftest import deliver
from tests.notifications.mail import PUBLIC_URL
from tests.notifications.smtp import Inbox
from tests.people import act, new_mentee, new_mentor
from tests.support import Client

SUBJECTS = {
    "EN": "A warning from the moderators of Alumni Mentoring",
    "DE": "Eine Verwarnung der Moderation von Alumni Mentoring",
}
NOTE = "Called the reporter names in three messages."
DETAILS = "He called me names."


@pytest.mark.parametrize("locale", ["EN", "DE"])
async def test_a_warning_mails_the_member_in_their_language_without_unsubscribe(
    app: Starlette, anon: Client, inbox: Inbox, locale: str
) -> None:
    moderator = await moderator_client(app, anon)
    mentor = await new_mentor(anon, "mentor@example.org", "Marta Mentor")
    mentee = await new_mentee(anon, "mentee@example.org", "Mika Mentee")
    await act(mentor, "UpdateAccount", input={"locale": locale})
    await act(mentor, "UpdateNotificationSettings", input=_all_off())
    filed = (await report(mentee.client, mentor.user_id, details=DETAILS)).data
    inbox.clear()

    resolved = await moderator.op(
        "ResolveReport", id=filed["reportMember"]["id"], action="WARN", note=NOTE
    )
    await deliver(app)

    assert resolved.data["resolveReport"]["status"] == "ACTIONED"
    [mail] = inbox.to("mentor@example.org")
    assert mail.message["Subject"] == SUBJECTS[locale]
    assert mail.message["Content-Language"] == locale.lower()
    assert mail.message["List-Unsubscribe"] is None
    assert f"{PUBLIC_URL}/" in mail.text
    for part in (mail.text, mail.html):
        assert "unsubscribe" not in part
        for private in (NOTE, DETAILS, "Mika Mentee"):
            assert private not in part
    assert inbox.to("mentee@example.org") == []


def _all_off() -> dict[str, bool]:
    return {
        "requestReceived": False,
        "requestAnswered": False,
        "requestReminders": False,
        "agreementProposed": False,
        "unreadMessages": False,
        "meetingReminders": False,
    }
