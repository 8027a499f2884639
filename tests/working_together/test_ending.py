"""A relationship that closes (ended early, or completed) cancels the meetings still to
come, in the same move, and calendars see them cancelled with the next SEQUENCE."""

from __future__ import annotations

from tests.clock import FakeClock
from tests.live import LiveServer
from tests.people import Person, act, reach, status_of
from tests.working_together.helpers import at, confirm, propose_meeting, workspace
from tests.working_together.test_calendar_feed import events, feed_url, fetch


async def test_ending_early_cancels_proposed_and_confirmed_meetings_to_come(
    server: LiveServer, mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    held = await propose_meeting(mentee, together, clock, startsAt=at(clock, hours=2))
    await confirm(mentor, held["id"])
    coming = await propose_meeting(mentee, together, clock, startsAt=at(clock, days=3))
    await confirm(mentor, coming["id"])
    unanswered = await propose_meeting(mentor, together, clock, startsAt=at(clock, days=5))
    url = await feed_url(mentee)
    before = {event["DTSTART"]: event for event in events(await fetch(server, url))}
    clock.advance(days=1)  # the first meeting took place

    await act(mentee, "EndRelationship", relationshipId=together)

    statuses = {m["id"]: m["status"] for m in (await workspace(mentor, together))["meetings"]}
    assert statuses == {
        held["id"]: "CONFIRMED",
        coming["id"]: "CANCELLED",
        unanswered["id"]: "CANCELLED",
    }
    after = {event["DTSTART"]: event for event in events(await fetch(server, url))}
    assert after.keys() == before.keys()  # an unanswered proposal never was in the feed
    past, future = sorted(after)
    assert after[past] == before[past]
    assert after[future]["STATUS"] == "CANCELLED"
    assert after[future]["UID"] == before[future]["UID"]
    assert int(after[future]["SEQUENCE"]) == int(before[future]["SEQUENCE"]) + 1


async def test_completion_cancels_the_meetings_after_the_end(
    server: LiveServer, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await reach("ACTIVE", mentor, mentee, clock)  # ends in 30 days
    late = await propose_meeting(mentee, relationship_id, clock, startsAt=at(clock, days=40))
    await confirm(mentor, late["id"])
    url = await feed_url(mentor)
    [before] = events(await fetch(server, url))

    clock.advance(days=31)

    assert await status_of(mentor, relationship_id) == "COMPLETED"
    [meeting] = (await workspace(mentee, relationship_id))["meetings"]
    assert meeting["status"] == "CANCELLED"
    [after] = events(await fetch(server, url))
    assert (after["STATUS"], int(after["SEQUENCE"])) == ("CANCELLED", int(before["SEQUENCE"]) + 1)
