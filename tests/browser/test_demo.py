"""The live-chat demo on /demo, used by two people in two browsers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tests.browser.servers import login, run
from tests.browser.support import Browsing, expect, screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _sign_in_as(page: Page, base: str, account: str) -> None:
    page.goto(f"{base}/demo")
    page.get_by_role("button", name=account).click()


def _conversation_with(page: Page, name: str) -> None:
    page.get_by_role("navigation").get_by_role("button", name=name).click()
    expect(page.locator("#partner")).to_have_text(name)


def _send(page: Page, text: str) -> None:
    page.get_by_role("textbox", name="Message").fill(text)
    page.get_by_role("button", name="Send").click()


def test_a_demo_user_signs_in_and_sees_their_name(browsing: Browsing, server: str) -> None:
    page = browsing.page()

    _sign_in_as(page, server, "Demo mentor")

    expect(page.locator("#who")).to_have_text("Dana Demo (mentor)")
    expect(page.get_by_role("form", name="Sign in")).to_be_hidden()
    assert browsing.outside == []
    assert browsing.page_errors == []


def test_a_wrong_password_is_refused_with_the_apis_message(browsing: Browsing, server: str) -> None:
    page = browsing.page()
    page.goto(f"{server}/demo")

    page.get_by_label("Email").fill("mentee@demo.example")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("Sign-in failed")
    expect(page.get_by_role("form", name="Sign in")).to_be_visible()


def test_mentor_and_mentee_chat_live_with_unread_badges(browsing: Browsing, server: str) -> None:
    # The demo seed holds an accepted relationship between the two demo users.
    mentor, mentee = browsing.page(), browsing.page()
    _sign_in_as(mentor, server, "Demo mentor")
    _sign_in_as(mentee, server, "Demo mentee")
    mentee_entry = mentor.get_by_role("navigation").get_by_role("button", name="Milan Demo")
    expect(mentee_entry).to_be_visible()
    expect(mentor.locator("#live")).to_have_text("● live")

    # The mentee writes while the mentor looks at the list: a badge appears live.
    _conversation_with(mentee, "Dana Demo (mentor)")
    _send(mentee, "Hello Dana, do you have time on Thursday?")
    expect(mentee.locator("#messages li.mine").last).to_contain_text("Thursday")
    expect(mentee_entry.locator(".badge")).to_have_text("1")
    screenshot(mentor, "demo-unread")

    # The mentor opens the conversation: the message is there, the badge gone.
    _conversation_with(mentor, "Milan Demo (mentee)")
    expect(mentor.locator("#messages li.theirs").last).to_contain_text("Thursday")
    expect(mentee_entry.locator(".badge")).to_have_count(0)

    # With both conversations open, each side sees the other's message live.
    _send(mentor, "Thursday at 18:00 works for me.")
    expect(mentee.locator("#messages li.theirs").last).to_contain_text("18:00")
    _send(mentee, "Great, see you then!")
    expect(mentor.locator("#messages li.theirs").last).to_contain_text("see you then")

    screenshot(mentor, "demo-mentor")
    screenshot(mentee, "demo-mentee")
    assert browsing.outside == []
    assert browsing.page_errors == []


def test_partners_keep_action_steps_and_see_the_next_meeting_live(
    browsing: Browsing, server: str
) -> None:
    mentor, mentee = browsing.page(), browsing.page()
    _sign_in_as(mentor, server, "Demo mentor")
    _sign_in_as(mentee, server, "Demo mentee")
    _conversation_with(mentor, "Milan Demo (mentee)")
    _conversation_with(mentee, "Dana Demo (mentor)")
    expect(mentor.locator("#live")).to_have_text("● live")

    # The mentee adds a step: the mentor's list shows it without reloading.
    mentee.get_by_role("textbox", name="New step").fill("Send Dana my CV")
    mentee.get_by_role("button", name="Add step").click()
    on_mentors = mentor.get_by_role("checkbox", name="Send Dana my CV")
    expect(on_mentors).not_to_be_checked()
    # The mentor ticks it off: the mentee sees it done.
    on_mentors.check()
    expect(mentee.get_by_role("checkbox", name="Send Dana my CV")).to_be_checked()

    # A meeting proposed and confirmed elsewhere (another client) shows up live.
    mentee_token, mentor_token = (
        login(server, "mentee@demo.example"),
        login(server, "mentor@demo.example"),
    )
    [relationship] = run(server, "MyRelationships", mentee_token)["myRelationships"]
    starts_at = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    proposed = run(
        server,
        "ProposeMeeting",
        mentee_token,
        input={
            "relationshipId": relationship["id"],
            "startsAt": starts_at.isoformat(),
            "durationMinutes": 45,
            "channel": "VIDEO_CALL",
            "location": "https://meet.example.org/dana-milan",
        },
    )["proposeMeeting"]
    next_meeting = mentor.locator("#next-meeting")
    expect(next_meeting).to_contain_text("45 min, video call")
    expect(next_meeting).to_contain_text("(proposed, not yet confirmed)")
    run(server, "RespondToMeeting", mentor_token, id=proposed["id"], accept=True)
    expect(mentee.locator("#next-meeting")).to_contain_text("(confirmed)")
    expect(mentee.locator("#next-meeting")).to_contain_text("https://meet.example.org/dana-milan")

    screenshot(mentee, "demo-working-together")
    assert browsing.outside == []
    assert browsing.page_errors == []
