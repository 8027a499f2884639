"""People, requests and terms, all over HTTP: the tests of every domain start from these."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tests.clock import FakeClock
from tests.support import Client

MESSAGE = (
    "Hello! I am finishing my physics degree in Leipzig and would love your advice "
    "on moving into industrial research."
)
MENTOR_PROFILE: dict[str, Any] = {
    "headline": "Research lead",
    "bio": "Fifteen years in industrial research.",
    "country": "DE",
    "languages": ["de", "en"],
    "industry": "Research",
    "yearsOfExperience": 15,
    "topics": ["CAREER_PLANNING", "SUBJECT_EXPERTISE"],
    "capacity": 2,
    "contactLinks": [{"kind": "EMAIL", "value": "marta@example.org"}],
}
MENTEE_PROFILE: dict[str, Any] = {
    "headline": "Physics graduate",
    "bio": "Just finished my degree.",
    "country": "DE",
    "languages": ["de"],
    "fieldOfStudy": "Physics",
    "situation": "CAREER_ENTRY",
    "goals": "Find a first research job.",
    "topics": ["CAREER_PLANNING"],
    "contactLinks": [{"kind": "PHONE", "value": "+493411234567"}],
}

RELATIONSHIP = """
query Relationship($id: ID!) {
  relationship(id: $id) {
    id status viewerRole startsOn endsOn requestMessage requestTopics requestGoals
    declineReason endReason
    mentor { id displayName acceptingMentees contactLinks { kind value } }
    mentee { id displayName headline contactLinks { kind value } }
    agreement { version status endsOn proposedBy { id displayName } }
    agreements { version status }
  }
}
"""


@dataclass
class Person:
    client: Client
    profile_id: str  # the mentor or mentee profile this person acts with

    @property
    def user_id(self) -> str:
        assert self.client.user_id is not None
        return self.client.user_id


async def new_mentor(anon: Client, email: str, name: str, **overrides: Any) -> Person:
    client = await anon.register(email, name)
    saved = (await client.op("SaveMentorProfile", input={**MENTOR_PROFILE, **overrides})).data
    return Person(client, saved["saveMentorProfile"]["id"])


async def new_mentee(anon: Client, email: str, name: str, **overrides: Any) -> Person:
    client = await anon.register(email, name)
    saved = (await client.op("SaveMenteeProfile", input={**MENTEE_PROFILE, **overrides})).data
    return Person(client, saved["saveMenteeProfile"]["id"])


async def act(person: Person, operation: str, **variables: Any) -> Any:
    """Run a contract operation as `person`; fails the test on any error."""
    return (await person.client.op(operation, **variables)).data


async def request(mentee: Person, mentor: Person, **overrides: Any) -> str:
    values = {"mentorId": mentor.profile_id, "message": MESSAGE, **overrides}
    reply = await mentee.client.op("RequestMentoring", input=values)
    relationship_id: str = reply.data["requestMentoring"]["id"]
    return relationship_id


def terms(
    relationship_id: str, clock: FakeClock, *, days: int = 180, **overrides: Any
) -> dict[str, Any]:
    today = clock.now.date()
    return {
        "relationshipId": relationship_id,
        "goals": ["Apply to three research labs", "Prepare for interviews"],
        "topics": ["CAREER_PLANNING"],
        "expectations": "An hour every other week; I prepare questions.",
        "cadence": "BIWEEKLY",
        "channels": ["VIDEO_CALL"],
        "startsOn": today.isoformat(),
        "endsOn": (today + timedelta(days=days)).isoformat(),
        **overrides,
    }


async def propose(
    person: Person, relationship_id: str, clock: FakeClock, **kw: Any
) -> dict[str, Any]:
    reply = await person.client.op("ProposeAgreement", input=terms(relationship_id, clock, **kw))
    agreement: dict[str, Any] = reply.data["proposeAgreement"]
    return agreement


async def accept_terms(person: Person, relationship_id: str, version: int) -> dict[str, Any]:
    reply = await person.client.op(
        "AcceptAgreement", relationshipId=relationship_id, version=version
    )
    relationship: dict[str, Any] = reply.data["acceptAgreement"]
    return relationship


async def activate(mentor: Person, mentee: Person, clock: FakeClock, *, days: int = 180) -> str:
    """Request, accept, agree: an ACTIVE relationship ending in `days` days."""
    relationship_id = await request(mentee, mentor)
    await act(mentor, "AcceptRequest", relationshipId=relationship_id)
    version = (await propose(mentee, relationship_id, clock, days=days))["version"]
    await accept_terms(mentor, relationship_id, version)
    return relationship_id


async def reach(status: str, mentor: Person, mentee: Person, clock: FakeClock) -> str:
    """A relationship between the two in `status` (EXPIRED and COMPLETED move the clock)."""
    if status in ("ACTIVE", "COMPLETED", "ENDED"):
        relationship_id = await activate(mentor, mentee, clock, days=30)
        if status == "COMPLETED":
            clock.advance(days=31)
        if status == "ENDED":
            await act(mentee, "EndRelationship", relationshipId=relationship_id)
        return relationship_id
    relationship_id = await request(mentee, mentor)
    answers = {
        "ACCEPTED": (mentor, "AcceptRequest"),
        "DECLINED": (mentor, "DeclineRequest"),
        "WITHDRAWN": (mentee, "WithdrawRequest"),
    }
    if status in answers:
        person, operation = answers[status]
        await act(person, operation, relationshipId=relationship_id)
    if status == "EXPIRED":
        clock.advance(days=15)
    return relationship_id


async def seen_by(person: Person, relationship_id: str) -> dict[str, Any]:
    reply = await person.client.query(RELATIONSHIP, {"id": relationship_id})
    relationship: dict[str, Any] = reply.data["relationship"]
    return relationship


async def status_of(person: Person, relationship_id: str) -> str:
    status: str = (await seen_by(person, relationship_id))["status"]
    return status


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """Every SQL statement Tortoise sends while the block runs."""
    statements: list[str] = []

    class Recorder(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            statements.append(record.getMessage())

    logger = logging.getLogger("tortoise.db_client")
    handler, level = Recorder(level=logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield statements
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
