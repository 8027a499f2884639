"""Meetings: proposed by one side, answered by the other, cancelled by either; live."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from tests.clock import FakeClock
from tests.live import LiveServer, connect
from tests.people import Person, act, reach
from tests.working_together.helpers import (
    add_step,
    at,
    confirm,
    meeting_input,
    propose_meeting,
    workspace,
)


async def test_the_other_side_confirms_and_both_see_it(
    mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    proposed = await propose_meeting(mentee, together, clock)
    assert proposed["status"] == "PROPOSED"
    assert proposed["proposedBy"] == {"id": mentee.user_id}
    assert proposed["startsAt"] == "2026-03-04T09:00:00.000Z"

    assert (await confirm(mentor, proposed["id"]))["status"] == "CONFIRMED"

    [seen] = (await workspace(mentee, together))["meetings"]
    assert (seen["status"], seen["durationMinutes"], seen["channel"]) == (
        "CONFIRMED",
        60,
        "VIDEO_CALL",
    )
    assert seen["agenda"] == "Interview practice"


async def test_only_the_other_side_may_answer(
    mentee: Person, together: str, clock: FakeClock
) -> None:
    proposed = await propose_meeting(mentee, together, clock)

    reply = await mentee.client.op("RespondToMeeting", id=proposed["id"], accept=True)

    assert reply.code == "FORBIDDEN"


async def test_declined_and_cancelled_meetings_cannot_be_answered_again(
    mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    declined = await propose_meeting(mentee, together, clock)
    await act(mentor, "RespondToMeeting", id=declined["id"], accept=False)
    cancelled = await propose_meeting(mentee, together, clock, startsAt=at(clock, days=3))
    reason = "Something came up"
    data = await act(mentee, "CancelMeeting", id=cancelled["id"], reason=reason)
    assert data["cancelMeeting"]["status"] == "CANCELLED"

    for meeting in (declined, cancelled):
        reply = await mentor.client.op("RespondToMeeting", id=meeting["id"], accept=True)
        assert reply.code == "CONFLICT"
    statuses = [m["status"] for m in (await workspace(mentor, together))["meetings"]]
    assert statuses == ["DECLINED", "CANCELLED"]


async def test_either_side_cancels_a_confirmed_meeting(
    mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    proposed = await propose_meeting(mentee, together, clock)
    await confirm(mentor, proposed["id"])

    data = await act(mentor, "CancelMeeting", id=proposed["id"])

    assert data["cancelMeeting"] == {"id": proposed["id"], "status": "CANCELLED"}


async def test_a_proposal_in_the_past_names_startsAt(
    mentee: Person, together: str, clock: FakeClock
) -> None:
    reply = await mentee.client.op(
        "ProposeMeeting", input=meeting_input(together, clock, startsAt=at(clock, minutes=-1))
    )
    assert (reply.code, reply.error_field) == ("BAD_USER_INPUT", "startsAt")


async def test_a_proposal_whose_time_has_passed_cannot_be_confirmed(
    mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    proposed = await propose_meeting(mentee, together, clock, startsAt=at(clock, hours=1))
    clock.advance(hours=2)

    reply = await mentor.client.op("RespondToMeeting", id=proposed["id"], accept=True)

    assert reply.code == "CONFLICT"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"durationMinutes": 14}, "durationMinutes"),
        ({"durationMinutes": 241}, "durationMinutes"),
        ({"location": "javascript:alert(1)//x://"}, "location"),
        ({"location": "http://meet.example.org/x"}, "location"),
        ({"location": "x" * 501}, "location"),
        ({"agenda": "x" * 4001}, "agenda"),
    ],
)
async def test_bad_input_names_the_field(
    mentee: Person, together: str, clock: FakeClock, fields: dict[str, object], field: str
) -> None:
    reply = await mentee.client.op("ProposeMeeting", input=meeting_input(together, clock, **fields))
    assert (reply.code, reply.error_field) == ("BAD_USER_INPUT", field)


async def test_a_place_in_words_is_a_location_too(
    mentee: Person, together: str, clock: FakeClock
) -> None:
    proposed = await propose_meeting(
        mentee, together, clock, channel="PHONE", location="Café Kowalski, Leipzig"
    )
    assert proposed["location"] == "Café Kowalski, Leipzig"


async def test_overlapping_the_viewers_confirmed_meeting_is_a_conflict_saying_so(
    mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    first = await propose_meeting(mentee, together, clock, startsAt=at(clock, days=2))
    await confirm(mentor, first["id"])

    reply = await mentee.client.op(
        "ProposeMeeting",
        input=meeting_input(together, clock, startsAt=at(clock, days=2, minutes=30)),
    )

    assert reply.code == "CONFLICT"
    assert reply.errors[0]["message"].startswith(
        "You have a confirmed meeting from 2026-03-04 09:00"
    )
    # Back to back is no overlap.
    after = await propose_meeting(mentee, together, clock, startsAt=at(clock, days=2, hours=1))
    assert after["status"] == "PROPOSED"


async def test_overlapping_the_partners_meeting_elsewhere_is_a_conflict_without_details(
    mentor: Person, mentee: Person, outsider: Person, together: str, clock: FakeClock
) -> None:
    elsewhere = await reach("ACTIVE", mentor, outsider, clock)
    theirs = await propose_meeting(outsider, elsewhere, clock, startsAt=at(clock, days=2))
    await confirm(mentor, theirs["id"])

    reply = await mentee.client.op(
        "ProposeMeeting", input=meeting_input(together, clock, startsAt=at(clock, days=2))
    )

    assert reply.code == "CONFLICT"
    assert reply.errors[0]["message"] == "Your partner has another confirmed meeting at that time."


async def test_confirming_over_a_meeting_confirmed_meanwhile_is_a_conflict(
    mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    one = await propose_meeting(mentee, together, clock)
    other = await propose_meeting(mentor, together, clock)
    await confirm(mentor, one["id"])

    reply = await mentee.client.op("RespondToMeeting", id=other["id"], accept=True)

    assert reply.code == "CONFLICT"


async def test_of_two_overlapping_meetings_confirmed_at_once_one_is_a_conflict(
    mentor: Person, mentee: Person, outsider: Person, together: str, clock: FakeClock
) -> None:
    elsewhere = await reach("ACTIVE", mentor, outsider, clock)
    here = await propose_meeting(mentee, together, clock, startsAt=at(clock, days=2))
    there = await propose_meeting(
        outsider, elsewhere, clock, startsAt=at(clock, days=2, minutes=30)
    )

    replies = await asyncio.gather(
        mentor.client.op("RespondToMeeting", id=here["id"], accept=True),
        mentor.client.op("RespondToMeeting", id=there["id"], accept=True),
    )

    failed = [reply for reply in replies if reply.body.get("errors")]
    [confirmed] = [reply.data["respondToMeeting"] for reply in replies if reply not in failed]
    assert [reply.code for reply in failed] == ["CONFLICT"]
    assert confirmed["status"] == "CONFIRMED"
    seen = (await workspace(mentee, together))["meetings"] + (await workspace(outsider, elsewhere))[
        "meetings"
    ]
    assert sorted(meeting["status"] for meeting in seen) == ["CONFIRMED", "PROPOSED"]


async def test_outsiders_get_not_found_for_everything(
    mentee: Person, outsider: Person, together: str, clock: FakeClock
) -> None:
    proposed = await propose_meeting(mentee, together, clock)

    replies = [
        await outsider.client.op(
            "ProposeMeeting", input=meeting_input(together, clock, durationMinutes=1)
        ),
        await outsider.client.op("RespondToMeeting", id=proposed["id"], accept=True),
        await outsider.client.op("CancelMeeting", id=proposed["id"]),
    ]

    assert [reply.code for reply in replies] == ["NOT_FOUND"] * 3


async def test_the_partner_hears_of_every_step_and_meeting_live(
    server: LiveServer, mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    async with (
        connect(server, mentor.client.token) as mentors,
        connect(server, mentee.client.token) as mentees,
    ):
        await mentors.subscribe("m", "ViewerEvents")
        await mentees.subscribe("e", "ViewerEvents")
        await _until_listening(server, 4)  # each: user + session

        await add_step(mentee, together, "Send CV")
        first = await propose_meeting(mentee, together, clock)
        second = await propose_meeting(mentee, together, clock, startsAt=at(clock, days=5))
        await confirm(mentor, first["id"])
        await act(mentor, "RespondToMeeting", id=second["id"], accept=False)
        await act(mentor, "CancelMeeting", id=first["id"])

        to_mentor = [(await mentors.next_data("m"))["viewerEvents"] for _ in range(3)]
        to_mentee = [(await mentees.next_data("e"))["viewerEvents"] for _ in range(3)]

    assert [event["kind"] for event in to_mentor] == [
        "ACTION_STEP_CHANGED",
        "MEETING_PROPOSED",
        "MEETING_PROPOSED",
    ]
    assert [event["kind"] for event in to_mentee] == [
        "MEETING_CONFIRMED",
        "MEETING_DECLINED",
        "MEETING_CANCELLED",
    ]
    assert {event["relationship"]["id"] for event in to_mentor + to_mentee} == {together}


async def _until_listening(server: LiveServer, count: int) -> None:
    for _ in range(1000):
        if server.hub.listener_count() >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{server.hub.listener_count()} listeners, expected {count}")


async def test_refusals_are_in_the_readers_language_and_the_codes_are_not(
    mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    past = meeting_input(together, clock, startsAt=at(clock, minutes=-1))
    proposed = await propose_meeting(mentee, together, clock, startsAt=at(clock, hours=1))
    clock.advance(hours=2)

    in_german = await replace(mentee.client, language="de-AT").op("ProposeMeeting", input=past)
    in_english = await mentee.client.op("ProposeMeeting", input=past)
    passed = await replace(mentor.client, language="de").op(
        "RespondToMeeting", id=proposed["id"], accept=True
    )

    assert in_german.code == in_english.code == "BAD_USER_INPUT"
    assert in_german.field_errors == {"startsAt": "muss in der Zukunft liegen."}
    assert in_english.field_errors == {"startsAt": "must be in the future."}
    assert passed.code == "CONFLICT"
    assert passed.errors[0]["message"] == (
        "Der Termin liegt in der Vergangenheit: Bitte schlagen Sie einen neuen vor."
    )
