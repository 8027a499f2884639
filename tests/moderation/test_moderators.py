"""Who may moderate, and what each moderator action does and records.

Only members with the MODERATOR role read reports, resolve them, suspend,
reinstate, and read the log and the figures; everyone else gets FORBIDDEN,
the same answer whether or not what they name exists.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from starlette.applications import Starlette

from orm import roles
from orm.binding import bound
from orm.vocabulary import RoleName
from resolvers.ids import Kind
from tests.clock import FakeClock
from tests.moderation.helpers import REASON, conversation, report, reports
from tests.people import Person
from tests.support import Client, id_of

MODERATION_OPERATIONS: dict[str, dict[str, Any]] = {
    "Reports": {},
    "ModerationLog": {},
    "ProgramStats": {},
    "ResolveReport": {"action": "DISMISS"},
    "SuspendMember": {"reason": REASON},
    "ReinstateMember": {"reason": REASON},
}

LOG = """
query {
  moderationLog {
    edges { node { action reason moderator { id } member { id } report { id status } } }
  }
}
"""


async def log(moderator: Client) -> list[dict[str, Any]]:
    edges = (await moderator.query(LOG)).data["moderationLog"]["edges"]
    return [edge["node"] for edge in edges]


def variables_for(name: str, member_id: str, report_id: str) -> dict[str, Any]:
    values = dict(MODERATION_OPERATIONS[name])
    if name == "ResolveReport":
        values["id"] = report_id
    if name in ("SuspendMember", "ReinstateMember"):
        values["memberId"] = member_id
    return values


@pytest.mark.parametrize("name", sorted(MODERATION_OPERATIONS))
async def test_members_without_the_role_are_forbidden_and_learn_nothing(
    app: Starlette, moderator: Client, mentor: Person, mentee: Person, name: str
) -> None:
    filed = (await report(mentee.client, mentor.user_id)).data["reportMember"]["id"]
    existing = variables_for(name, mentor.user_id, filed)
    missing = variables_for(name, id_of(Kind.MEMBER, 99999), id_of(Kind.REPORT, 99999))
    malformed = variables_for(name, "not an id", "not an id")

    answers = [await mentee.client.op(name, **values) for values in (existing, missing, malformed)]

    assert [answer.code for answer in answers] == ["FORBIDDEN"] * 3
    assert len({str(answer.body) for answer in answers}) == 1
    assert (await moderator.op("Reports")).data["reports"]["edges"][0]["node"]["status"] == "OPEN"
    assert await log(moderator) == []


@pytest.mark.parametrize("name", sorted(MODERATION_OPERATIONS))
async def test_anonymous_callers_must_sign_in(app: Starlette, anon: Client, name: str) -> None:
    values = variables_for(name, id_of(Kind.MEMBER, 1), id_of(Kind.REPORT, 1))

    assert (await anon.op(name, **values)).code == "UNAUTHENTICATED"


async def test_suspended_reads_forbidden_for_members_and_true_or_false_for_moderators(
    app: Starlette, moderator: Client, mentor: Person, mentee: Person
) -> None:
    query = "query($id: ID!) { node(id: $id) { ... on Member { id suspended } } }"

    as_member = await mentee.client.query(query, {"id": mentor.user_id})
    as_moderator = await moderator.query(query, {"id": mentor.user_id})

    assert as_member.code == "FORBIDDEN"
    assert as_member.body["data"]["node"] == {"id": mentor.user_id, "suspended": None}
    assert as_moderator.data["node"] == {"id": mentor.user_id, "suspended": False}


async def test_a_role_revoked_forbids_at_once(
    app: Starlette, moderator: Client, mentee: Person
) -> None:
    assert (await moderator.op("ProgramStats")).data
    with bound(app.state.tortoise):
        assert await roles.revoke("mod@example.org", RoleName.MODERATOR)

    assert (await moderator.op("ProgramStats")).code == "FORBIDDEN"


async def test_dismissing_closes_the_report_and_logs_who_why_and_which(
    app: Starlette, moderator: Client, mentor: Person, mentee: Person
) -> None:
    filed = (await report(mentee.client, mentor.user_id)).data["reportMember"]["id"]

    resolved = await moderator.op("ResolveReport", id=filed, action="DISMISS", note="Banter.")
    again = await moderator.op("ResolveReport", id=filed, action="SUSPEND")

    assert resolved.data["resolveReport"] == {
        "id": filed,
        "status": "DISMISSED",
        "reported": {"id": mentor.user_id, "suspended": False},
    }
    assert again.code == "CONFLICT"
    assert await reports(moderator, status=["OPEN"]) == []
    assert [r["id"] for r in await reports(moderator, status=["DISMISSED"])] == [filed]
    assert await log(moderator) == [
        {
            "action": "DISMISS",
            "reason": "Banter.",
            "moderator": {"id": moderator.user_id},
            "member": {"id": mentor.user_id},
            "report": {"id": filed, "status": "DISMISSED"},
        }
    ]


async def test_suspending_from_a_report_actions_it_and_suspends_the_member(
    app: Starlette, moderator: Client, mentor: Person, mentee: Person
) -> None:
    filed = (await report(mentee.client, mentor.user_id)).data["reportMember"]["id"]

    resolved = await moderator.op("ResolveReport", id=filed, action="SUSPEND", note=REASON)

    assert resolved.data["resolveReport"]["status"] == "ACTIONED"
    assert resolved.data["resolveReport"]["reported"] == {"id": mentor.user_id, "suspended": True}
    [entry] = await log(moderator)
    assert (entry["action"], entry["reason"], entry["report"]["id"]) == ("SUSPEND", REASON, filed)


async def test_suspend_and_reinstate_are_logged_newest_first(
    app: Starlette, moderator: Client, mentor: Person, clock: FakeClock
) -> None:
    suspended = await moderator.op("SuspendMember", memberId=mentor.user_id, reason=REASON)
    clock.advance(minutes=5)
    reinstated = await moderator.op("ReinstateMember", memberId=mentor.user_id, reason="Appeal.")

    assert suspended.data["suspendMember"] == {"id": mentor.user_id, "suspended": True}
    assert reinstated.data["reinstateMember"] == {"id": mentor.user_id, "suspended": False}
    assert [(e["action"], e["reason"], e["report"]) for e in await log(moderator)] == [
        ("REINSTATE", "Appeal.", None),
        ("SUSPEND", REASON, None),
    ]


async def test_the_log_pages_by_cursor(app: Starlette, moderator: Client, mentor: Person) -> None:
    for number in range(5):
        await moderator.op("SuspendMember", memberId=mentor.user_id, reason=f"Reason {number}")

    reasons: list[str] = []
    after = None
    while True:
        page = (await moderator.op("ModerationLog", first=2, after=after)).data["moderationLog"]
        reasons += [edge["node"]["reason"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert reasons == [f"Reason {number}" for number in reversed(range(5))]


async def test_reports_page_in_order_and_count_every_match(
    app: Starlette, moderator: Client, mentor: Person, mentee: Person
) -> None:
    filed = [
        (await report(mentee.client, mentor.user_id, details=f"#{n}")).data["reportMember"]["id"]
        for n in range(5)
    ]
    await moderator.op("ResolveReport", id=filed[1], action="DISMISS")

    first = (await moderator.op("Reports", status=["OPEN"], first=2)).data["reports"]
    rest = (
        await moderator.op("Reports", status=["OPEN"], after=first["pageInfo"]["endCursor"])
    ).data["reports"]

    assert first["totalCount"] == 4
    seen = [edge["node"]["id"] for edge in first["edges"] + rest["edges"]]
    assert seen == [filed[0], filed[2], filed[3], filed[4]]
    assert rest["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize(
    ("name", "values", "field"),
    [
        ("SuspendMember", {"reason": "  "}, "reason"),
        ("SuspendMember", {"reason": "x" * 1001}, "reason"),
        ("ReinstateMember", {"reason": ""}, "reason"),
        ("Reports", {"first": 101}, "first"),
        ("Reports", {"after": "bm90IGEgY3Vyc29y"}, "after"),
        ("ModerationLog", {"first": 0}, "first"),
    ],
)
async def test_bad_input_from_moderators_names_the_field_and_changes_nothing(
    app: Starlette, moderator: Client, mentor: Person, name: str, values: dict[str, Any], field: str
) -> None:
    if name in ("SuspendMember", "ReinstateMember"):
        values = {**values, "memberId": mentor.user_id}

    refused = await moderator.op(name, **values)

    assert refused.code == "BAD_USER_INPUT"
    assert refused.error_field == field
    assert await log(moderator) == []


async def test_a_moderator_cannot_suspend_themselves_nor_a_member_who_does_not_exist(
    app: Starlette, moderator: Client
) -> None:
    itself = await moderator.op("SuspendMember", memberId=moderator.user_id, reason=REASON)
    nobody = await moderator.op("SuspendMember", memberId=id_of(Kind.MEMBER, 99999), reason=REASON)

    assert itself.code == "BAD_USER_INPUT"
    assert nobody.code == "NOT_FOUND"


async def test_moderators_read_reports_by_node_and_members_do_not(
    app: Starlette, moderator: Client, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    _, (insult,) = await conversation(mentee, mentor, clock, "Only this one.")
    filed = (await report(mentor.client, mentee.user_id, messageIds=[insult])).data
    report_id = filed["reportMember"]["id"]
    query = "query($id: ID!) { node(id: $id) { id ... on Report { messages { id body } } } }"

    seen = (await moderator.query(query, {"id": report_id})).data["node"]
    copy_id = seen["messages"][0]["id"]

    assert seen["messages"][0]["body"] == "Only this one."
    assert (await moderator.query(query, {"id": copy_id})).data["node"] == {"id": copy_id}
    for as_member in (mentor.client, mentee.client):
        for object_id in (report_id, copy_id):
            assert (await as_member.query(query, {"id": object_id})).data["node"] is None


@pytest.mark.parametrize("name", ["ProgramStats", "Reports", "SuspendMember"])
async def test_the_refusal_is_in_the_readers_language_and_the_code_is_not(
    app: Starlette, mentor: Person, mentee: Person, name: str
) -> None:
    values = variables_for(name, mentor.user_id, id_of(Kind.REPORT, 1))
    german = replace(mentee.client, language="de-DE,de;q=0.9")

    in_german = await german.op(name, **values)
    in_english = await mentee.client.op(name, **values)

    assert in_german.code == in_english.code == "FORBIDDEN"
    assert in_german.errors[0]["message"] == "Das dürfen nur Moderatorinnen und Moderatoren."
    assert in_english.errors[0]["message"] == "Only moderators can do this."


async def test_a_moderator_acting_on_themselves_reads_why_in_german(
    app: Starlette, moderator: Client
) -> None:
    assert moderator.user_id is not None
    german = replace(moderator, language="de")

    reply = await german.op("SuspendMember", memberId=moderator.user_id, reason=REASON)

    assert reply.code == "BAD_USER_INPUT"
    assert reply.field_errors == {
        "memberId": "ist Ihr eigenes Konto: Die Moderation handelt nur gegenüber anderen "
        "Mitgliedern."
    }
