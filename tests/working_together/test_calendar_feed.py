"""The calendar feed: a secret URL serving the viewer's confirmed meetings as RFC 5545."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest
import vobject
from icalendar import Calendar

from resolvers import calendar_ics
from resolvers.calendar_feed import FeedContent
from tests.clock import FakeClock
from tests.live import LiveServer
from tests.people import Person, act
from tests.working_together.helpers import at, confirm, propose_meeting


async def feed_url(person: Person) -> str:
    url: str = (await act(person, "CalendarFeed"))["viewer"]["calendarFeedUrl"]
    return url


async def fetch(server: LiveServer, url: str, **headers: str) -> httpx.Response:
    """GET the feed from the test server, at the path the public URL names."""
    async with httpx.AsyncClient(base_url=server.http_url) as http:
        return await http.get(urlsplit(url).path, headers=headers)


def events(response: httpx.Response) -> list[dict[str, str]]:
    calendar = Calendar.from_ical(response.content)
    return [
        {key: str(event.get(key)) for key in ("UID", "SEQUENCE", "STATUS", "SUMMARY", "LOCATION")}
        | {
            "DTSTART": event.decoded("DTSTART").isoformat(),
            "DESCRIPTION": str(event.get("DESCRIPTION")),
        }
        for event in calendar.walk("VEVENT")
    ]


async def test_the_url_is_secret_and_stable_under_the_public_url(
    mentor: Person, mentee: Person
) -> None:
    url = await feed_url(mentee)

    assert url.startswith("https://mentoring.example.org/calendar/")
    assert url.endswith(".ics")
    assert await feed_url(mentee) == url
    assert await feed_url(mentor) != url


async def test_confirmed_meetings_appear_with_the_partner_and_channel_never_the_agenda(
    server: LiveServer, mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    confirmed = await propose_meeting(mentee, together, clock, agenda="Salary talk")
    await confirm(mentor, confirmed["id"])
    await propose_meeting(mentee, together, clock, startsAt=at(clock, days=4))  # unanswered

    response = await fetch(server, await feed_url(mentee))

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    [event] = events(response)
    assert event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"] == "Mentoring with Marta Mentor (video call)"
    assert event["LOCATION"] == "https://meet.example.org/marta-mika"
    assert event["DTSTART"] == "2026-03-04T09:00:00+00:00"
    assert event["DESCRIPTION"] == "None"
    assert b"Salary" not in response.content
    [mentors] = events(await fetch(server, await feed_url(mentor)))
    assert mentors["SUMMARY"] == "Mentoring with Mika Mentee (video call)"
    assert mentors["UID"] == event["UID"]


async def test_a_cancellation_shows_as_cancelled_with_the_next_sequence(
    server: LiveServer, mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    meeting = await propose_meeting(mentee, together, clock)
    await confirm(mentor, meeting["id"])
    url = await feed_url(mentee)
    [before] = events(await fetch(server, url))

    await act(mentor, "CancelMeeting", id=meeting["id"], reason="Ill")
    [after] = events(await fetch(server, url))

    assert after["UID"] == before["UID"]
    assert after["STATUS"] == "CANCELLED"
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1


async def test_if_none_match_answers_304_until_something_changes(
    server: LiveServer, mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    meeting = await propose_meeting(mentee, together, clock)
    await confirm(mentor, meeting["id"])
    url = await feed_url(mentee)
    first = await fetch(server, url)
    etag = first.headers["etag"]

    unchanged = await fetch(server, url, **{"If-None-Match": etag})
    assert (unchanged.status_code, unchanged.content) == (304, b"")

    await act(mentee, "CancelMeeting", id=meeting["id"])
    changed = await fetch(server, url, **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


async def test_meetings_older_than_90_days_leave_the_feed(
    server: LiveServer, mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    meeting = await propose_meeting(mentee, together, clock)
    await confirm(mentor, meeting["id"])
    url = await feed_url(mentee)

    clock.advance(days=93)  # it started two days after it was proposed

    assert events(await fetch(server, url)) == []


async def test_reset_makes_a_new_url_and_the_old_one_404s_at_once(
    server: LiveServer, mentee: Person
) -> None:
    old = await feed_url(mentee)

    new = (await act(mentee, "ResetCalendarFeed"))["resetCalendarFeed"]

    assert new != old
    assert await feed_url(mentee) == new
    assert (await fetch(server, old)).status_code == 404
    assert (await fetch(server, new)).status_code == 200


async def test_unknown_tokens_are_404(server: LiveServer) -> None:
    for path in ("/calendar/" + "A" * 43 + ".ics", "/calendar/short.ics", "/calendar/x"):
        async with httpx.AsyncClient(base_url=server.http_url) as http:
            assert (await http.get(path)).status_code == 404


async def test_a_second_independent_parser_reads_the_same_events(
    server: LiveServer, mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    kept = await propose_meeting(mentee, together, clock, durationMinutes=45)
    await confirm(mentor, kept["id"])
    dropped = await propose_meeting(mentee, together, clock, startsAt=at(clock, days=3))
    await confirm(mentor, dropped["id"])
    await act(mentee, "CancelMeeting", id=dropped["id"])

    response = await fetch(server, await feed_url(mentor))
    # vobject, not icalendar: validation on, nothing unreadable tolerated.
    calendar = vobject.readOne(response.text, validate=True)

    assert calendar.version.value == "2.0"
    read = [
        (
            event.uid.value,
            int(event.sequence.value),
            event.status.value,
            event.dtstart.value.isoformat(),
            (event.dtend.value - event.dtstart.value).total_seconds() / 60,
            event.summary.value,
        )
        for event in calendar.vevent_list
    ]
    expected = [(e["UID"], int(e["SEQUENCE"]), e["STATUS"], e["DTSTART"]) for e in events(response)]
    assert [row[:4] for row in read] == expected
    assert [row[2:] for row in read] == [
        ("CONFIRMED", "2026-03-04T09:00:00+00:00", 45.0, "Mentoring with Mika Mentee (video call)"),
        ("CANCELLED", "2026-03-05T09:00:00+00:00", 60.0, "Mentoring with Mika Mentee (video call)"),
    ]


async def test_a_poll_answered_304_never_builds_the_calendar(
    server: LiveServer,
    mentor: Person,
    mentee: Person,
    together: str,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    meeting = await propose_meeting(mentee, together, clock)
    await confirm(mentor, meeting["id"])
    url = await feed_url(mentee)
    built: list[int] = []
    build = calendar_ics.calendar_text

    def counted(content: FeedContent, public_url: str) -> bytes:
        built.append(len(content.meetings))
        return build(content, public_url)

    monkeypatch.setattr(calendar_ics, "calendar_text", counted)
    first = await fetch(server, url)
    polls = [await fetch(server, url, **{"If-None-Match": first.headers["etag"]}) for _ in range(3)]

    assert [poll.status_code for poll in polls] == [304, 304, 304]
    assert built == [1]


async def test_the_feed_is_written_in_its_members_locale_and_a_change_is_a_new_version(
    server: LiveServer, mentor: Person, mentee: Person, together: str, clock: FakeClock
) -> None:
    meeting = await propose_meeting(mentee, together, clock, channel="PHONE", location=None)
    await confirm(mentor, meeting["id"])
    url = await feed_url(mentee)
    in_english = await fetch(server, url)

    await act(mentee, "UpdateAccount", input={"locale": "DE"})
    in_german = await fetch(server, url, **{"If-None-Match": in_english.headers["etag"]})

    assert in_german.status_code == 200
    assert in_german.headers["etag"] != in_english.headers["etag"]
    [event] = events(in_german)
    assert (event["SUMMARY"], event["LOCATION"]) == (
        "Mentoring mit Marta Mentor (Telefonat)",
        "Telefonat",
    )
    assert str(Calendar.from_ical(in_german.content).get("X-WR-CALNAME")) == "Mentoring-Termine"
    [english] = events(in_english)
    assert english["SUMMARY"] == "Mentoring with Marta Mentor (phone call)"
