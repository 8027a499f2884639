"""myData: the viewer's data in the documented shape, and nothing of others beyond what they see."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from tests.clock import FakeClock
from tests.conversations import send
from tests.people import (
    MENTOR_PROFILE,
    Person,
    act,
    new_mentor,
    reach,
)
from tests.support import ROOT, Client

DOCUMENT = ROOT / "docs" / "data-export.md"
ROW = re.compile(r"^\| `([^`]+)` \|", re.MULTILINE)


def documented_paths() -> set[str]:
    return set(ROW.findall(DOCUMENT.read_text(encoding="utf-8")))


def paths_of(value: Any, prefix: str = "") -> set[str]:
    """Every leaf's path, and `[]` for each list, as the document writes them."""
    if isinstance(value, dict):
        found: set[str] = set()
        for key, item in value.items():
            found |= paths_of(item, f"{prefix}.{key}" if prefix else key)
        return found
    if isinstance(value, list):
        marker = f"{prefix}[]"
        return {marker}.union(*(paths_of(item, marker) for item in value))
    return {prefix}


async def my_data(person: Person) -> dict[str, Any]:
    data: dict[str, Any] = (await act(person, "MyData"))["myData"]
    return data


async def _full_history(
    anon: Client, mentor: Person, mentee: Person, outsider: Person, clock: FakeClock
) -> tuple[str, str]:
    """The mentee's data touching every part of the export: the ids of its two relationships."""
    await mentee.client.op("SaveMentorProfile", input=MENTOR_PROFILE)
    active = await reach("ACTIVE", mentor, mentee, clock)
    await send(mentor, active, "A reply only the two of us read")
    await act(mentee, "AddActionStep", input={"relationshipId": active, "title": "Send the CV"})
    starts = (clock.now + timedelta(days=3)).isoformat().replace("+00:00", "Z")
    meeting = {"relationshipId": active, "startsAt": starts, "durationMinutes": 30}
    await act(mentor, "ProposeMeeting", input={**meeting, "channel": "VIDEO_CALL"})
    other = await new_mentor(anon, "second@example.org", "Sven Second")
    ended = await reach("ENDED", other, mentee, clock)
    await act(mentee, "GiveFeedback", relationshipId=ended, rating=5, comment="Thank you")
    await act(other, "GiveFeedback", relationshipId=ended, rating=4, comment="Good luck")
    await act(mentee, "UpdateNotificationSettings", input={"unreadMessages": False})
    report = {"memberId": outsider.user_id, "reason": "SPAM", "details": "Sends adverts"}
    await act(mentee, "ReportMember", input=report)
    await act(mentee, "BlockMember", memberId=outsider.user_id)
    return active, ended


async def test_the_export_has_exactly_the_documented_shape(
    anon: Client, mentor: Person, mentee: Person, outsider: Person, clock: FakeClock
) -> None:
    await _full_history(anon, mentor, mentee, outsider, clock)

    data = await my_data(mentee)

    documented = documented_paths()
    found = paths_of(data)
    assert found <= documented, f"not documented: {sorted(found - documented)}"
    # What the document lists and this export lacks can only be an object's own row.
    containers = {path for path in documented if any(p.startswith(path + ".") for p in documented)}
    assert documented - found <= containers, sorted(documented - found - containers)
    assert (data["format"], data["version"]) == ("mentoring-data-export", 1)


async def test_the_export_holds_the_viewers_data_and_only_what_they_see_of_others(
    anon: Client, mentor: Person, mentee: Person, outsider: Person, clock: FakeClock
) -> None:
    active, ended = await _full_history(anon, mentor, mentee, outsider, clock)

    data = await my_data(mentee)

    assert data["account"]["email"] == "mentee@example.org"
    assert data["notificationSettings"]["unreadMessages"] is False
    assert data["profiles"]["mentee"]["contactLinks"] == [
        {"kind": "PHONE", "value": "+493411234567"}
    ]
    by_id = {item["id"]: item for item in data["relationships"]}
    running, finished = by_id[active], by_id[ended]
    assert [m["body"] for m in running["messages"]][-1] == "A reply only the two of us read"
    assert running["messages"][0]["sentByViewer"] is True
    assert running["partner"]["displayName"] == "Marta Mentor"
    assert running["partner"]["contactLinks"] == [{"kind": "EMAIL", "value": "marta@example.org"}]
    assert [s["title"] for s in running["actionSteps"]] == ["Send the CV"]
    assert [m["proposedByViewer"] for m in running["meetings"]] == [False]
    assert {(f["givenByViewer"], f["comment"]) for f in finished["feedback"]} == {
        (True, "Thank you"),
        (False, "Good luck"),
    }
    # An ended relationship no longer shows the partner's contact links.
    assert finished["partner"]["contactLinks"] == []
    assert data["blocks"][0]["member"]["displayName"] == "Otto Outsider"
    (report,) = data["reportsMade"]
    assert (report["member"]["displayName"], report["reason"]) == ("Otto Outsider", "SPAM")
    assert (report["details"], report["status"], report["messageIds"]) == (
        "Sends adverts",
        "OPEN",
        [],
    )
    text = json.dumps(data)
    for secret in ("mentor@example.org", "second@example.org", "outsider@example.org"):
        assert secret not in text


async def test_the_export_needs_a_signed_in_viewer(anon: Client) -> None:
    assert (await anon.op("MyData")).code == "UNAUTHENTICATED"
