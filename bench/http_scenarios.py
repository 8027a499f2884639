"""The data and the requests of `bench.http`: who asks what, on a seeded database.

On top of the synthetic profiles: one mentor with 20 ACTIVE relationships
(each with accepted terms, a request message and an unread reply), one of
which holds a conversation of 50 messages; and a complete mentee who asks
for suggestions. Tokens are issued directly, as sign-in would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from orm.encryption import Keyring
from orm.messages import add_message
from orm.models import Agreement, MenteeProfile, MentorProfile, Relationship, User
from resolvers.tokens import TokenIssuer

SECRET_KEY = "bench-secret-key-that-is-long-enough-for-hs256"  # noqa: S105 - bench only
RELATIONSHIPS = 20
CONVERSATION = 50
BODY = "Thanks for the pointers; I read the two papers and have questions on the second."

TYPENAME = "{ __typename }"
MY_RELATIONSHIPS = """query MyRelationships($status: [RelationshipStatus!]) {
  myRelationships(status: $status) {
    id status viewerRole createdAt startsOn endsOn unreadCount
    mentor { id displayName }
    mentee { id displayName }
    agreement { version status goals topics cadence channels startsOn endsOn }
    lastMessage { id body sentAt sender { id } }
  }
}"""
CONVERSATION_QUERY = """query Conversation($relationshipId: ID!, $last: Int, $before: String) {
  relationship(id: $relationshipId) {
    id status
    messages(last: $last, before: $before) {
      pageInfo { hasPreviousPage startCursor }
      edges { cursor node { id body sentAt cursor sender { id displayName } } }
    }
  }
}"""
MENTOR_PROFILE = """query MentorProfile($id: ID!) {
  mentor(id: $id) {
    id displayName headline bio country city timezone languages industry
    fieldOfStudy yearsOfExperience topics capacity acceptingMentees channels
    contactLinks { kind value }
  }
}"""
SEARCH = """query SearchMentors($filter: MentorFilter, $first: Int, $after: String) {
  searchMentors(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id displayName headline country languages industry fieldOfStudy
        yearsOfExperience topics acceptingMentees
      }
    }
  }
}"""
SUGGESTIONS = """query MentorSuggestions($first: Int) {
  mentorSuggestions(first: $first) {
    score
    reasons { criterion points detail }
    mentor { id displayName headline country languages industry yearsOfExperience topics }
  }
}"""


@dataclass(frozen=True)
class Scenario:
    name: str
    query: str
    variables: dict[str, Any]
    token: str | None = None

    def body(self) -> dict[str, Any]:
        return {"query": self.query, "variables": self.variables}


async def _relationship(
    keyring: Keyring, mentor: MentorProfile, mentee: MenteeProfile, at: datetime
) -> Relationship:
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
    keyring: Keyring, relationship: Relationship, senders: tuple[int, int], count: int, at: datetime
) -> None:
    for index in range(count):
        await add_message(
            keyring,
            relationship_id=relationship.id,
            sender_id=senders[index % 2],
            body=f"{BODY} ({index})",
            at=at + timedelta(seconds=index),
        )


async def prepare() -> list[Scenario]:
    """Adds the relationships and conversation to a seeded database; the scenarios to run."""
    keyring = Keyring.from_secret(SECRET_KEY)
    tokens = TokenIssuer(SECRET_KEY)
    at = datetime.now(UTC) - timedelta(days=1)
    mentor = await MentorProfile.filter(is_complete=True).order_by("id").first()
    mentees = await MenteeProfile.filter(is_complete=True).order_by("id").limit(RELATIONSHIPS + 1)
    if mentor is None or len(mentees) <= RELATIONSHIPS:
        raise RuntimeError("seed more profiles: a complete mentor and 21 complete mentees")
    asker, partners = mentees[0], mentees[1:]
    relationships = []
    for mentee in partners:
        relationship = await _relationship(keyring, mentor, mentee, at)
        # The request message, then the mentor's reply (unread by the mentee), then
        # the mentee's answer (unread by the mentor).
        await _conversation(keyring, relationship, (mentee.user_id, mentor.user_id), 3, at)
        relationships.append(relationship)
    talk = relationships[0]
    partner = partners[0]
    more = CONVERSATION - 3
    await _conversation(keyring, talk, (partner.user_id, mentor.user_id), more, at)
    mentor_user = await User.get(id=mentor.user_id)
    asker_user = await User.get(id=asker.user_id)
    mentor_token = await tokens.issue(mentor_user)
    asker_token = await tokens.issue(asker_user)
    filter_ = {"text": "engineer", "topics": ["CAREER_PLANNING"], "languages": ["de"]}
    return [
        Scenario("{ __typename }", TYPENAME, {}),
        Scenario(f"MyRelationships ({RELATIONSHIPS})", MY_RELATIONSHIPS, {}, mentor_token),
        Scenario(
            f"Conversation ({CONVERSATION} messages)",
            CONVERSATION_QUERY,
            {"relationshipId": str(talk.id), "last": CONVERSATION},
            mentor_token,
        ),
        Scenario("MentorProfile", MENTOR_PROFILE, {"id": str(mentor.id)}, asker_token),
        Scenario("SearchMentors (20)", SEARCH, {"filter": filter_, "first": 20}),
        Scenario("MentorSuggestions (10)", SUGGESTIONS, {"first": 10}, asker_token),
    ]
