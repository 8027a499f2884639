"""The data and the requests of `bench.http`: who asks what, on a seeded database.

On top of the synthetic profiles: one mentor with 20 ACTIVE relationships
(each with accepted terms, a request message and an unread reply), one of
which holds a conversation of 50 messages, 50 action steps and 20 meetings;
and a complete mentee who asks for suggestions. Tokens are issued directly,
as sign-in would. The requests are the operations the project serves, read
from `clients/operations.graphql`.
One of them is sent again by hash, as Apollo's PersistedQueryLink sends a
registered document (the floor apps, which know no persisted queries, get
its text).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from orm.member_keys import MessageKeys
from orm.messages import add_message
from orm.models import (
    ActionStep,
    Agreement,
    Meeting,
    MenteeProfile,
    MentorProfile,
    Relationship,
    User,
)
from resolvers.ids import Kind
from resolvers.tokens import TokenIssuer
from tests.support import CLIENT_OPERATIONS, client_operations, id_of

SECRET_KEY = "bench-secret-key-that-is-long-enough-for-hs256"  # noqa: S105 - bench only


def bench_keys(
    database_url: str, secret_key: str = SECRET_KEY, key_store_url: str | None = None
) -> MessageKeys:
    """The member keys a server of this database, secret key and KEY_STORE_URL uses.

    Without `key_store_url`, the default store: beside an SQLite file, else
    `data/keys` in the working directory.
    """
    from app import Settings, member_message_keys

    settings = Settings(database_url=database_url, key_store_url=key_store_url)
    return member_message_keys(settings, secret_key)


RELATIONSHIPS = 20
CONVERSATION = 50
STEPS, MEETINGS = 50, 20
BODY = "Thanks for the pointers; I read the two papers and have questions on the second."

TYPENAME = "{ __typename }"


def client_query(name: str) -> str:
    """The served operation `name`, as an SPA sends it: what the bench measures."""
    operations = client_operations()
    if name not in operations:
        raise SystemExit(f"{CLIENT_OPERATIONS} has no operation {name}")
    return operations[name]


@dataclass(frozen=True)
class Scenario:
    name: str
    query: str
    variables: dict[str, Any]
    token: str | None = None
    # Sent as Apollo's PersistedQueryLink sends a registered document: its hash only.
    by_hash: bool = False

    def body(self) -> dict[str, Any]:
        if self.by_hash:
            return {"extensions": self.persisted_query(), "variables": self.variables}
        return self.text_body()

    def text_body(self) -> dict[str, Any]:
        return {"query": self.query, "variables": self.variables}

    def registration(self) -> dict[str, Any]:
        """The text with its hash: what registers the document before the hash runs it."""
        return {**self.text_body(), "extensions": self.persisted_query()}

    def persisted_query(self) -> dict[str, Any]:
        sha256 = hashlib.sha256(self.query.encode()).hexdigest()
        return {"persistedQuery": {"version": 1, "sha256Hash": sha256}}


async def _relationship(mentor: MentorProfile, mentee: MenteeProfile, at: datetime) -> Relationship:
    start = at.date()
    relationship = await Relationship.create(
        mentor=mentor,
        mentee=mentee,
        status="ACTIVE",
        request_topics=["CAREER_PLANNING"],
        created_at=at,
        responded_at=at,
        starts_on=start,
        ends_on=start + timedelta(days=180),
    )
    await Agreement.create(
        relationship=relationship,
        version=1,
        proposed_by_id=mentee.user_id,
        status="ACCEPTED",
        goals=["Apply to three research labs", "Prepare for interviews"],
        topics=["CAREER_PLANNING", "NETWORKING"],
        cadence="BIWEEKLY",
        channels=["VIDEO_CALL", "PRIVATE_MESSAGE"],
        starts_on=start,
        ends_on=start + timedelta(days=180),
        created_at=at,
        accepted_at=at,
    )
    return relationship


async def _conversation(
    keys: MessageKeys,
    relationship: Relationship,
    senders: tuple[int, int],
    count: int,
    at: datetime,
) -> None:
    for index in range(count):
        await add_message(
            keys,
            relationship_id=relationship.id,
            sender_id=senders[index % 2],
            body=f"{BODY} ({index})",
            at=at + timedelta(seconds=index),
        )


async def _working_together(
    relationship: Relationship, users: tuple[int, int], at: datetime
) -> None:
    """Steps (every third done) and confirmed meetings, one a week from tomorrow."""
    for index in range(STEPS):
        await ActionStep.create(
            relationship=relationship,
            title=f"Step {index}: read the second paper again",
            notes="Note the three questions for the next meeting." if index % 2 else None,
            due_on=(at + timedelta(days=index)).date(),
            owner_id=users[index % 2],
            created_by_id=users[(index + 1) % 2],
            done_at=at if index % 3 == 0 else None,
            created_at=at,
            updated_at=at,
        )
    for index in range(MEETINGS):
        starts_at = at + timedelta(days=2 + 7 * index)
        await Meeting.create(
            relationship=relationship,
            proposed_by_id=users[index % 2],
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=45),
            duration_minutes=45,
            channel="VIDEO_CALL",
            location="https://meet.example.org/weekly",
            agenda="Progress on the applications",
            status="CONFIRMED",
            sequence=1,
            created_at=at,
            updated_at=at,
            confirmed_at=at,
        )


async def prepare(database_url: str, key_store_url: str | None = None) -> list[Scenario]:
    """Adds the relationships and conversation to a seeded database; the scenarios to run.

    The messages are sealed with each sender's own key, in the key store the
    server of `database_url` with SECRET_KEY (and `key_store_url` as its
    KEY_STORE_URL) opens, as the service writes them.
    """
    keys = bench_keys(database_url, key_store_url=key_store_url)
    tokens = TokenIssuer(SECRET_KEY)
    at = datetime.now(UTC) - timedelta(days=1)
    mentor = await MentorProfile.filter(is_complete=True).order_by("id").first()
    mentees = await MenteeProfile.filter(is_complete=True).order_by("id").limit(RELATIONSHIPS + 1)
    if mentor is None or len(mentees) <= RELATIONSHIPS:
        raise RuntimeError("seed more profiles: a complete mentor and 21 complete mentees")
    asker, partners = mentees[0], mentees[1:]
    relationships = []
    for mentee in partners:
        relationship = await _relationship(mentor, mentee, at)
        # The request message, then the mentor's reply (unread by the mentee), then
        # the mentee's answer (unread by the mentor).
        await _conversation(keys, relationship, (mentee.user_id, mentor.user_id), 3, at)
        relationships.append(relationship)
    talk = relationships[0]
    partner = partners[0]
    more = CONVERSATION - 3
    await _conversation(keys, talk, (partner.user_id, mentor.user_id), more, at)
    await _working_together(talk, (partner.user_id, mentor.user_id), at)
    mentor_user = await User.get(id=mentor.user_id)
    asker_user = await User.get(id=asker.user_id)
    mentor_token = await tokens.issue(mentor_user)
    asker_token = await tokens.issue(asker_user)
    filter_ = {"text": "engineer", "topics": ["CAREER_PLANNING"], "languages": ["de"]}
    return [
        Scenario("{ __typename }", TYPENAME, {}),
        Scenario(
            f"MyRelationships ({RELATIONSHIPS})",
            client_query("MyRelationships"),
            {},
            mentor_token,
        ),
        Scenario(
            f"MyRelationships ({RELATIONSHIPS}) by hash",
            client_query("MyRelationships"),
            {},
            mentor_token,
            by_hash=True,
        ),
        Scenario(
            f"Conversation ({CONVERSATION} messages)",
            client_query("Conversation"),
            {"relationshipId": id_of(Kind.RELATIONSHIP, talk.id), "last": CONVERSATION},
            mentor_token,
        ),
        Scenario(
            f"Workspace ({STEPS} steps, {MEETINGS} meetings)",
            client_query("Workspace"),
            {"relationshipId": id_of(Kind.RELATIONSHIP, talk.id)},
            mentor_token,
        ),
        Scenario(
            "MentorProfile",
            client_query("MentorProfile"),
            {"id": id_of(Kind.MENTOR, mentor.id)},
            asker_token,
        ),
        Scenario(
            "SearchMentors (20)",
            client_query("SearchMentors"),
            {"filter": filter_, "first": 20},
        ),
        Scenario(
            "MentorSuggestions (10)",
            client_query("MentorSuggestions"),
            {"first": 10},
            asker_token,
        ),
    ]
