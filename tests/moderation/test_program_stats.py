"""The program's figures, on each engine, from rows whose figures are known.

Each figure is checked against a sample that holds rows on both sides of
its rule: complete and incomplete profiles, suspended members, requests
inside and past their 14 days, answers accepted and declined, messages
inside and outside the last 30 days.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from tortoise.context import TortoiseContext

from orm.models import MenteeProfile, MentorProfile, Message, Relationship, User
from orm.program_stats import ProgramStats, program_stats
from tests.moderation.engines import migrated

__all__ = ["migrated"]

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DAY, HOUR = timedelta(days=1), timedelta(hours=1)
_numbers = count()


async def _user(*, suspended: bool = False) -> User:
    n = next(_numbers)
    return await User.create(
        email=f"s{n}@example.org",
        display_name=f"S {n}",
        password_hash="x",
        suspended_at=NOW - DAY if suspended else None,
    )


async def _mentor(**fields: Any) -> MentorProfile:
    suspended = fields.pop("suspended", False)
    values = {"is_complete": True, "capacity": 2, "accepting_mentees": True, **fields}
    return await MentorProfile.create(user=await _user(suspended=suspended), **values)


async def _mentee(**fields: Any) -> MenteeProfile:
    suspended = fields.pop("suspended", False)
    values = {"is_complete": True, **fields}
    return await MenteeProfile.create(user=await _user(suspended=suspended), **values)


async def _relationship(
    mentor: MentorProfile, mentee: MenteeProfile, status: str, created: datetime, **fields: Any
) -> Relationship:
    return await Relationship.create(
        mentor=mentor, mentee=mentee, status=status, created_at=created, **fields
    )


async def _message(relationship: Relationship, sender_id: int, seq: int, at: datetime) -> None:
    await Message.create(
        relationship=relationship,
        sender_id=sender_id,
        seq=seq,
        body_sealed=b"sealed",
        key_id="k",
        created_at=at,
    )


async def test_every_figure_counts_what_its_rule_says(migrated: TortoiseContext) -> None:
    accepting = await _mentor()
    await _mentor(mentee_count=2)  # full: a mentor, not accepting
    await _mentor(accepting_mentees=False)
    await _mentor(is_complete=False)  # not counted
    await _mentor(suspended=True)  # not counted
    mentee = await _mentee()
    await _mentee(is_complete=False)
    await _mentee(suspended=True)

    # Requests: waiting (one inside its 14 days, one past them), answered in 2, 4, 10 hours.
    await _relationship(accepting, mentee, "REQUESTED", NOW - 2 * DAY)
    await _relationship(accepting, mentee, "REQUESTED", NOW - 15 * DAY)
    active = await _relationship(
        accepting, mentee, "ACTIVE", NOW - 40 * DAY, responded_at=NOW - 40 * DAY + 2 * HOUR
    )
    await _relationship(
        accepting, mentee, "DECLINED", NOW - 3 * DAY, responded_at=NOW - 3 * DAY + 4 * HOUR
    )
    await _relationship(
        accepting, mentee, "ENDED", NOW - 5 * DAY, responded_at=NOW - 5 * DAY + 10 * HOUR
    )
    await _relationship(accepting, mentee, "COMPLETED", NOW - 400 * DAY, responded_at=None)
    await _relationship(accepting, mentee, "WITHDRAWN", NOW - 1 * DAY)
    for seq, age in enumerate((DAY, 29 * DAY, 31 * DAY), start=1):
        await _message(active, mentee.user_id, seq, NOW - age)

    figures = await program_stats(NOW)

    assert figures == ProgramStats(
        mentors=3,
        mentors_accepting=1,
        mentees=1,
        requests_open=1,
        requests_last_30_days=5,
        acceptance_rate=2 / 3,
        median_response_hours=4.0,
        relationships_active=1,
        relationships_completed=1,
        relationships_ended=1,
        messages_last_30_days=2,
    )


async def test_an_even_number_of_answers_takes_the_mean_of_the_middle_two(
    migrated: TortoiseContext,
) -> None:
    mentor, mentee = await _mentor(), await _mentee()
    for hours in (1, 3, 7, 30):
        created = NOW - 20 * DAY
        await _relationship(
            mentor, mentee, "DECLINED", created, responded_at=created + hours * HOUR
        )

    figures = await program_stats(NOW)

    assert figures.median_response_hours == 5.0
    assert figures.acceptance_rate == 0.0


async def test_an_empty_program_has_no_rates(migrated: TortoiseContext) -> None:
    figures = await program_stats(NOW)

    assert (figures.mentors, figures.acceptance_rate, figures.median_response_hours) == (
        0,
        None,
        None,
    )
