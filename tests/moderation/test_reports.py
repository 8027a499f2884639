"""Reporting a member: what is kept with a report, and what moderators see of it.

A report may attach messages of the reporter's own conversation with the
reported member; a copy of exactly those is kept, sealed like messages, and
moderators read those and nothing else of the conversation.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from app import Settings, create_app
from orm.binding import bound
from orm.member_keys import ERASED_BODY
from orm.models import Report, ReportedMessage
from resolvers.ids import Kind
from resolvers.ratelimit import POLICIES, MemoryRateLimiter
from tests.clock import FakeClock
from tests.moderation.helpers import conversation, report, reports
from tests.people import Person, new_mentee, new_mentor
from tests.support import Client, id_of, running, settings_for

INSULT = "You are useless and everybody knows it, stop wasting my time."
HARMLESS = "Thanks for the tips on my CV, see you on Thursday."
LATER = "An apology, written after the report."


async def stored_reports(app: Starlette) -> int:
    with bound(app.state.tortoise):
        return await Report.all().count() + await ReportedMessage.all().count()


async def test_a_report_keeps_exactly_the_attached_messages_for_moderators(
    app: Starlette,
    moderator: Client,
    mentor: Person,
    mentee: Person,
    clock: FakeClock,
) -> None:
    relationship_id, (_, insult, _) = await conversation(
        mentee, mentor, clock, HARMLESS, INSULT, "Please stop."
    )

    filed = (
        await report(
            mentee.client,
            mentor.user_id,
            details="It started after our second meeting.",
            relationshipId=relationship_id,
            messageIds=[insult],
        )
    ).data["reportMember"]

    assert filed["status"] == "OPEN"
    [seen] = await reports(moderator, status=["OPEN"])
    assert seen["id"] == filed["id"]
    assert seen["reason"] == "HARASSMENT"
    assert seen["details"] == "It started after our second meeting."
    assert seen["reporter"] == {"id": mentee.user_id, "displayName": "Mika Mentee"}
    assert seen["reported"] == {
        "id": mentor.user_id,
        "displayName": "Marta Mentor",
        "suspended": False,
    }
    assert [(m["body"], m["sender"]["id"]) for m in seen["messages"]] == [(INSULT, mentor.user_id)]
    assert seen["messages"][0]["id"] != insult  # a copy, an object of its own


async def test_the_copy_is_sealed_and_outlives_the_conversation(
    app: Starlette,
    settings: Settings,
    moderator: Client,
    mentor: Person,
    mentee: Person,
    clock: FakeClock,
) -> None:
    relationship_id, (insult,) = await conversation(mentee, mentor, clock, "x" * 3 + INSULT)
    await report(mentor.client, mentee.user_id, messageIds=[insult])

    database = Path(settings.database_url.removeprefix("sqlite://"))
    with sqlite3.connect(database) as db:
        sealed = db.execute("SELECT body_sealed FROM reported_message").fetchall()
    assert len(sealed) == 1
    assert INSULT.encode() not in bytes(sealed[0][0])
    # Moderators see the message as it was, whatever the conversation does later.
    await mentee.client.op("SendMessage", input={"relationshipId": relationship_id, "body": LATER})
    [seen] = await reports(moderator)
    assert [m["body"] for m in seen["messages"]] == ["xxx" + INSULT]


async def test_erasing_the_author_shreds_the_copy_as_it_shreds_the_message(
    app: Starlette, moderator: Client, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    _, (_, insult) = await conversation(mentee, mentor, clock, HARMLESS, INSULT)  # the mentor's
    await report(mentee.client, mentor.user_id, messageIds=[insult])

    erased = await mentor.client.op("DeleteAccount", password="correct horse")

    assert erased.data["deleteAccount"] is True
    [seen] = await reports(moderator)
    assert [m["body"] for m in seen["messages"]] == [ERASED_BODY]


async def test_a_message_of_another_conversation_is_not_found_and_nothing_is_stored(
    app: Starlette, anon: Client, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    other = await new_mentee(anon, "other@example.org", "Olga Other")
    _, (own,) = await conversation(mentee, mentor, clock, HARMLESS)
    _, (foreign,) = await conversation(other, mentor, clock, "Someone else's words.")

    refused = await report(mentee.client, mentor.user_id, messageIds=[own, foreign])

    assert refused.code == "NOT_FOUND"
    assert await stored_reports(app) == 0


async def test_a_message_of_the_reporter_with_someone_else_is_not_found(
    app: Starlette, anon: Client, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    # The reporter's own conversation, but with a third member: not about the reported one.
    third = await new_mentor(anon, "third@example.org", "Theo Third")
    _, (elsewhere,) = await conversation(mentee, third, clock, HARMLESS)
    await conversation(mentee, mentor, clock)

    refused = await report(mentee.client, mentor.user_id, messageIds=[elsewhere])

    assert refused.code == "NOT_FOUND"
    assert await stored_reports(app) == 0


async def test_a_relationship_that_is_not_between_the_two_is_not_found(
    app: Starlette, anon: Client, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    third = await new_mentor(anon, "third@example.org", "Theo Third")
    relationship_id, _ = await conversation(mentee, third, clock)

    refused = await report(mentee.client, mentor.user_id, relationshipId=relationship_id)

    assert refused.code == "NOT_FOUND"
    assert await stored_reports(app) == 0


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"details": "x" * 4001}, "details"),
        ({"details": "bad\u202ename"}, "details"),
        ({"messageIds": ["1"] * 51}, "messageIds"),
    ],
)
async def test_bad_input_names_the_field_and_stores_nothing(
    app: Starlette, mentor: Person, mentee: Person, extra: dict[str, object], field: str
) -> None:
    refused = await report(mentee.client, mentor.user_id, **extra)

    assert refused.code == "BAD_USER_INPUT"
    assert refused.error_field == field
    assert await stored_reports(app) == 0


async def test_reporting_oneself_is_bad_input(app: Starlette, mentee: Person) -> None:
    refused = await report(mentee.client, mentee.user_id)

    assert refused.code == "BAD_USER_INPUT"
    assert refused.error_field == "memberId"


async def test_a_member_the_reporter_cannot_see_is_not_found(
    app: Starlette, anon: Client, mentee: Person
) -> None:
    # A mentee with no relationship to the reporter is seen by no one else.
    stranger = await new_mentee(anon, "stranger@example.org", "Sam Stranger")

    for member_id in (stranger.user_id, id_of(Kind.MEMBER, 99999)):
        assert (await report(mentee.client, member_id)).code == "NOT_FOUND"
    assert await stored_reports(app) == 0


async def test_reports_are_rate_limited_per_reporter(tmp_path: Path, clock: FakeClock) -> None:
    limiter = MemoryRateLimiter()
    settings = settings_for(tmp_path, clock=clock, rate_limiter=limiter)
    async with running(create_app(settings)) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            anon = Client(http=http)
            mentor = await new_mentor(anon, "mentor@example.org", "Marta Mentor")
            first = await new_mentee(anon, "first@example.org", "Fay First")
            second = await new_mentee(anon, "second@example.org", "Sid Second")
            for _ in range(POLICIES.reports_per_user.limit):
                assert (await report(first.client, mentor.user_id)).data
            limited = await report(first.client, mentor.user_id)
            other = await report(second.client, mentor.user_id)

        assert limited.code == "RATE_LIMITED"
        assert limited.errors[0]["extensions"]["retryAfter"] > 0
        assert other.data["reportMember"]["status"] == "OPEN"
        assert await stored_reports(app) == POLICIES.reports_per_user.limit + 1
