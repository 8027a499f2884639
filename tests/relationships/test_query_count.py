"""myRelationships costs a fixed handful of SQL statements, however many it lists.

Every nested field reads through a per-request DataLoader; this guard fails
when a change brings back one query per relationship.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from orm.encryption import Keyring
from orm.messages import add_message
from orm.models import Agreement, MenteeProfile, Relationship, User
from tests.relationships.clock import FakeClock
from tests.relationships.helpers import MESSAGE, Person, counting_queries
from tests.support import settings_for

# The SQL statements of the query below: the viewer's session, the viewer's
# profile ids, the lazy settling check, the relationships with both
# profiles, then one batch each for users, agreements, request messages and
# contact-link visibility, unread counts and last messages (whose senders
# are the participants, already loaded).
STATEMENTS = 10
# The key the test app derives from the test settings' SECRET_KEY.
KEYRING = Keyring.from_secret(settings_for(Path()).secret_key or "")

SELECTION = """
{
  myRelationships {
    id status viewerRole createdAt startsOn endsOn requestMessage
    mentor { id displayName acceptingMentees }
    mentee { id displayName headline contactLinks { kind value } }
    agreement {
      version status goals topics cadence channels startsOn endsOn
      proposedBy { id displayName }
    }
    agreements { version status }
    unreadCount
    lastMessage { id body sentAt sender { id displayName } }
  }
}
"""


async def add_relationships(mentor: Person, count: int, clock: FakeClock) -> None:
    """`count` mentees with relationships to `mentor`: half of them active under two versions."""
    start = clock.now.date()
    for index in range(count):
        user = await User.create(
            email=f"bulk{index}@example.org", display_name=f"Bulk {index}", password_hash="x"
        )
        mentee = await MenteeProfile.create(user=user, headline=f"Mentee {index}")
        active = index % 2 == 0
        relationship = await Relationship.create(
            mentor_id=int(mentor.profile_id),
            mentee=mentee,
            status="ACTIVE" if active else "REQUESTED",
            created_at=clock.now - timedelta(hours=index),
            starts_on=start if active else None,
            ends_on=start + timedelta(days=90) if active else None,
        )
        await add_message(
            KEYRING, relationship_id=relationship.id, sender_id=user.id, body=MESSAGE, at=clock.now
        )
        if active:
            for version, status in ((1, "SUPERSEDED"), (2, "ACCEPTED")):
                await Agreement.create(
                    relationship=relationship,
                    version=version,
                    proposed_by_id=user.id if version == 1 else int(mentor.user_id),
                    status=status,
                    goals=["A goal"],
                    topics=["NETWORKING"],
                    cadence="MONTHLY",
                    channels=["EMAIL"],
                    starts_on=start,
                    ends_on=start + timedelta(days=90),
                    created_at=clock.now,
                )


async def statements_for_my_relationships(viewer: Person) -> tuple[int, list[dict[str, Any]]]:
    with counting_queries() as statements:
        listed = (await viewer.client.query(SELECTION)).data["myRelationships"]
    return len(statements), listed


async def test_my_relationships_with_20_relationships_costs_a_fixed_number_of_statements(
    mentor: Person, clock: FakeClock
) -> None:
    await add_relationships(mentor, 20, clock)

    count, listed = await statements_for_my_relationships(mentor)

    assert len(listed) == 20
    assert {item["agreement"]["version"] for item in listed if item["status"] == "ACTIVE"} == {2}
    assert all(item["requestMessage"] == MESSAGE for item in listed)
    assert all(item["lastMessage"]["body"] == MESSAGE for item in listed)
    assert all(item["unreadCount"] == 1 for item in listed)
    assert count == STATEMENTS


async def test_the_number_does_not_grow_with_the_list(mentor: Person, clock: FakeClock) -> None:
    await add_relationships(mentor, 1, clock)
    one, _ = await statements_for_my_relationships(mentor)
    await Relationship.all().delete()
    await User.filter(email__startswith="bulk").delete()

    await add_relationships(mentor, 20, clock)
    twenty, _ = await statements_for_my_relationships(mentor)

    assert one == twenty
