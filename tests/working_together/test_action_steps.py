"""Action steps: either participant adds, edits, ticks off and deletes; outsiders see nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.clock import FakeClock
from tests.people import Person, act, reach
from tests.working_together.helpers import add_step, workspace


async def test_either_participant_adds_steps_that_both_see_in_due_order(
    mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    today = clock.now.date()
    later = await add_step(mentee, together, "Send CV", dueOn=str(today + timedelta(days=9)))
    undated = await add_step(mentor, together, "Read the lab's papers")
    sooner = await add_step(
        mentor,
        together,
        "Pick three labs",
        dueOn=str(today + timedelta(days=3)),
        ownerId=mentee.user_id,
        notes="Ask the alumni list too.",
    )

    steps = (await workspace(mentee, together))["actionSteps"]

    assert [step["id"] for step in steps] == [sooner["id"], later["id"], undated["id"]]
    assert sooner["owner"] == {"id": mentee.user_id}, "the owner named"
    assert sooner["createdBy"] == {"id": mentor.user_id}
    assert later["owner"] == {"id": mentee.user_id}, "the viewer by default"
    assert steps[0]["notes"] == "Ask the alumni list too."
    assert steps == (await workspace(mentor, together))["actionSteps"]


async def test_ticking_off_keeps_when_it_was_done_and_unticking_reopens(
    mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    step = await add_step(mentee, together, "Send CV")
    done = await act(mentor, "UpdateActionStep", input={"id": step["id"], "done": True})
    assert done["updateActionStep"]["doneAt"] == "2026-03-02T09:00:00.000Z"

    clock.advance(hours=1)
    again = await act(mentee, "UpdateActionStep", input={"id": step["id"], "done": True})
    assert again["updateActionStep"]["doneAt"] == "2026-03-02T09:00:00.000Z"

    reopened = await act(mentee, "UpdateActionStep", input={"id": step["id"], "done": False})
    assert reopened["updateActionStep"]["doneAt"] is None


async def test_edits_of_different_fields_by_both_partners_both_stay(
    mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    step = await add_step(mentee, together, "Send CV", notes="Two pages")

    await act(mentee, "UpdateActionStep", input={"id": step["id"], "title": "Send CV to Jülich"})
    await act(mentor, "UpdateActionStep", input={"id": step["id"], "notes": "One page"})
    await act(mentor, "UpdateActionStep", input={"id": step["id"], "title": "Send CV to DESY"})

    [seen] = (await workspace(mentee, together))["actionSteps"]
    assert (seen["title"], seen["notes"]) == ("Send CV to DESY", "One page")
    assert seen["owner"] == {"id": mentee.user_id}, "fields not sent are untouched"

    cleared = await act(mentee, "UpdateActionStep", input={"id": step["id"], "notes": None})
    assert cleared["updateActionStep"]["notes"] is None


async def test_deleting_a_step_removes_it_for_both(
    mentor: Person, mentee: Person, together: str
) -> None:
    step = await add_step(mentee, together, "Send CV")

    assert await act(mentor, "DeleteActionStep", id=step["id"]) == {"deleteActionStep": True}

    assert (await workspace(mentee, together))["actionSteps"] == []
    again = await mentee.client.op("DeleteActionStep", id=step["id"])
    assert again.code == "NOT_FOUND"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"notes": "x" * 4001}, "notes"),
        ({"dueOn": "2026-03-01"}, "dueOn"),  # the day before the test's clock
        ({"dueOn": "2029-03-03"}, "dueOn"),  # more than three years ahead
    ],
)
async def test_bad_input_names_the_field(
    mentee: Person, together: str, fields: dict[str, str], field: str
) -> None:
    added = await mentee.client.op(
        "AddActionStep", input={"relationshipId": together, "title": "Send CV", **fields}
    )
    assert (added.code, added.error_field) == ("BAD_USER_INPUT", field)


async def test_the_owner_must_be_a_participant(
    mentee: Person, outsider: Person, together: str
) -> None:
    added = await mentee.client.op(
        "AddActionStep",
        input={"relationshipId": together, "title": "Send CV", "ownerId": outsider.user_id},
    )
    assert (added.code, added.error_field) == ("BAD_USER_INPUT", "ownerId")


async def test_outsiders_get_not_found_for_everything(
    mentee: Person, outsider: Person, together: str
) -> None:
    step = await add_step(mentee, together, "Send CV")

    replies = [
        await outsider.client.op("Workspace", relationshipId=together),
        await outsider.client.op("AddActionStep", input={"relationshipId": together, "title": ""}),
        await outsider.client.op("UpdateActionStep", input={"id": step["id"], "title": ""}),
        await outsider.client.op("DeleteActionStep", id=step["id"]),
    ]

    assert [reply.code for reply in replies] == ["NOT_FOUND"] * 4
    assert (await workspace(mentee, together))["actionSteps"][0]["title"] == "Send CV"


async def test_a_step_named_through_another_relationship_is_not_found(
    mentor: Person, mentee: Person, outsider: Person, together: str, clock: FakeClock
) -> None:
    theirs = await reach("ACTIVE", mentor, outsider, clock)
    step = await add_step(outsider, theirs, "Their step")

    reply = await mentee.client.op("UpdateActionStep", input={"id": step["id"], "done": True})

    assert reply.code == "NOT_FOUND"


@pytest.mark.parametrize("status", ["ACCEPTED", "COMPLETED"])
async def test_steps_are_open_while_accepted_and_completed(
    mentor: Person, mentee: Person, clock: FakeClock, status: str
) -> None:
    relationship_id = await reach(status, mentor, mentee, clock)
    assert (await add_step(mentor, relationship_id, "Keep in touch"))["title"] == "Keep in touch"


@pytest.mark.parametrize("status", ["REQUESTED", "ENDED"])
async def test_steps_are_closed_before_acceptance_and_after_an_early_end(
    mentor: Person, mentee: Person, clock: FakeClock, status: str
) -> None:
    relationship_id = await reach(status, mentor, mentee, clock)
    reply = await mentor.client.op(
        "AddActionStep", input={"relationshipId": relationship_id, "title": "Too late"}
    )
    assert reply.code == "CONFLICT"
