"""Every committed transition reaches the request's outbox, for viewer events.

In-process (schema.execute with a Context) so that what the publisher
drained from the outbox (schema.core.publishing) can be read after the operation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette

from orm.vocabulary import EventKind, RelationshipStatus
from resolvers.lifecycle import Outbox, Transition
from schema import schema
from schema.core.context import Context
from tests.clock import FakeClock
from tests.people import Person, request
from tests.support import key_of

ACCEPT = "mutation($id: ID!) { acceptMentoringRequest(relationshipId: $id) { id } }"
MINE = "{ myRelationships { id status } }"


@dataclass
class RecordingOutbox(Outbox):
    """Remembers what the publisher drained (schema.core.publishing), for the test to read."""

    published: list[Transition] = field(default_factory=list)

    def drain(self) -> list[Transition]:
        drained = super().drain()
        self.published.extend(drained)
        return drained


@dataclass
class Executed:
    outbox: RecordingOutbox


async def execute(app: Starlette, person: Person, document: str, **variables: Any) -> Executed:
    outbox = RecordingOutbox()
    context = Context(
        services=app.state.services,
        connection_params={"authorization": f"Bearer {person.client.token}"},
        outbox=outbox,
    )
    await schema.execute(document, variable_values=variables, context_value=context)
    assert outbox.drain() == [], "the publisher drains the outbox after the operation"
    return Executed(outbox)


async def test_an_accepted_request_reports_who_did_what_to_whom(
    app: Starlette, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await request(mentee, mentor)

    context = await execute(app, mentor, ACCEPT, id=relationship_id)

    [transition] = context.outbox.published
    assert transition.event is EventKind.REQUEST_ACCEPTED
    assert (transition.before, transition.after) == (
        RelationshipStatus.REQUESTED,
        RelationshipStatus.ACCEPTED,
    )
    assert transition.relationship.id == key_of(relationship_id)
    assert transition.relationship.status == "ACCEPTED"
    assert transition.actor_id == key_of(mentor.user_id)
    assert transition.user_ids == (key_of(mentor.user_id), key_of(mentee.user_id))
    assert transition.at == clock.now


async def test_a_read_reports_the_expiries_it_settled(
    app: Starlette, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    await request(mentee, mentor)
    clock.advance(days=15)

    context = await execute(app, mentee, MINE)

    assert [t.event for t in context.outbox.published] == [EventKind.REQUEST_EXPIRED]


async def test_a_refused_action_still_reports_the_expiry_it_met(
    app: Starlette, mentor: Person, mentee: Person, clock: FakeClock
) -> None:
    relationship_id = await request(mentee, mentor)
    clock.advance(days=15)

    context = await execute(app, mentor, ACCEPT, id=relationship_id)

    assert [t.event for t in context.outbox.published] == [EventKind.REQUEST_EXPIRED]
