"""Steps and meetings through the contract's operations."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.clock import FakeClock
from tests.people import Person, act


def at(clock: FakeClock, **delta: float) -> str:
    """An instant relative to the test's clock, as a client writes it."""
    moment: datetime = clock.now + timedelta(**delta)
    return moment.isoformat().replace("+00:00", "Z")


async def add_step(person: Person, relationship_id: str, title: str, **fields: Any) -> Any:
    data = await act(
        person, "AddActionStep", input={"relationshipId": relationship_id, "title": title, **fields}
    )
    return data["addActionStep"]


async def workspace(person: Person, relationship_id: str) -> Any:
    return (await act(person, "Workspace", relationshipId=relationship_id))["relationship"]


def meeting_input(relationship_id: str, clock: FakeClock, **fields: Any) -> dict[str, Any]:
    return {
        "relationshipId": relationship_id,
        "startsAt": at(clock, days=2),
        "durationMinutes": 60,
        "channel": "VIDEO_CALL",
        "location": "https://meet.example.org/marta-mika",
        "agenda": "Interview practice",
        **fields,
    }


async def propose_meeting(
    person: Person, relationship_id: str, clock: FakeClock, **fields: Any
) -> Any:
    data = await act(
        person, "ProposeMeeting", input=meeting_input(relationship_id, clock, **fields)
    )
    return data["proposeMeeting"]


async def confirm(person: Person, meeting_id: str) -> Any:
    return (await act(person, "RespondToMeeting", id=meeting_id, accept=True))["respondToMeeting"]
