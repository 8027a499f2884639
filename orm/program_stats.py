"""The program's figures, for moderators (`programStats`) and the operator (`python -m app stats`).

Every figure is an SQL aggregate, two statements in all, so that the cost
grows with what the indexes and a scan of each table give, never with a
loop in Python (bench/program_stats.py times it at 100,000 mentors).

- mentors, mentees: complete profiles of members who are not suspended;
  mentorsAccepting: those of them who take mentees (`orm.rules.accepting`).
- requestsOpen: requests waiting for an answer and not past their 14 days
  (`orm.rules.due`); requestsLast30Days: requests made in the last 30 days.
- acceptanceRate: of the requests mentors answered, the share accepted;
  medianResponseHours: the median time to that answer. Null before any answer.
- relationshipsActive, relationshipsCompleted, relationshipsEnded: by status.
- messagesLast30Days: messages sent in the last 30 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from orm.rules.accepting import accepts_mentees_sql
from orm.rules.due import expiry_cutoff
from orm.rules.suspension import not_suspended_sql
from orm.sql import POSTGRES, Params, connection, dialect_of, fetch
from orm.vocabulary import RelationshipStatus

RECENT = timedelta(days=30)
S = RelationshipStatus


@dataclass(frozen=True)
class ProgramStats:
    mentors: int
    mentors_accepting: int
    mentees: int
    requests_open: int
    requests_last_30_days: int
    acceptance_rate: float | None
    median_response_hours: float | None
    relationships_active: int
    relationships_completed: int
    relationships_ended: int
    messages_last_30_days: int


def _counts_sql(params: Params, now: datetime) -> str:
    """One row of every count. Mentors are counted in one pass over `mentor_stats_idx`,
    answered requests in one over `relationship_answer_idx`; placeholders are taken in
    the order they appear in the text (SQLite's `?`)."""
    present = not_suspended_sql("p.user_id")
    since = now - RECENT

    def status(value: S) -> str:
        return f"(SELECT COUNT(*) FROM relationship WHERE status = {params.add(value.value)})"  # noqa: S608

    columns = (
        "SELECT m.mentors, m.mentors_accepting, a.answered, a.accepted,"  # noqa: S608
        f" (SELECT COUNT(*) FROM mentee_profile p WHERE p.is_complete AND {present}) AS mentees,"
        " (SELECT COUNT(*) FROM relationship"
        f" WHERE status = {params.add(S.REQUESTED.value)}"
        f" AND created_at >= {params.add_moment(expiry_cutoff(now))}) AS requests_open,"
        " (SELECT COUNT(*) FROM relationship"
        f" WHERE created_at >= {params.add_moment(since)}) AS requests_recent,"
        f" {status(S.ACTIVE)} AS active,"
        f" {status(S.COMPLETED)} AS completed,"
        f" {status(S.ENDED)} AS ended,"
        f" (SELECT COUNT(*) FROM message WHERE created_at >= {params.add_moment(since)})"
        " AS messages_recent"
    )
    mentors = (
        "(SELECT COUNT(*) AS mentors,"  # noqa: S608
        f" COALESCE(SUM(CASE WHEN {accepts_mentees_sql('p')} THEN 1 ELSE 0 END), 0)"
        f" AS mentors_accepting FROM mentor_profile p WHERE p.is_complete AND {present}) m"
    )
    answered = (
        "(SELECT COUNT(*) AS answered,"  # noqa: S608
        f" COALESCE(SUM(CASE WHEN status <> {params.add(S.DECLINED.value)} THEN 1 ELSE 0 END), 0)"
        " AS accepted FROM relationship WHERE responded_at IS NOT NULL) a"
    )
    return f"{columns} FROM {mentors}, {answered}"


def _median_sql(params: Params) -> str:
    """The median hours from request to answer, over every answered request."""
    if params.dialect == POSTGRES:
        return (
            "SELECT percentile_cont(0.5) WITHIN GROUP"
            " (ORDER BY EXTRACT(EPOCH FROM responded_at - created_at) / 3600.0) AS median"
            " FROM relationship WHERE responded_at IS NOT NULL"
        )
    # SQLite has no percentile: the middle one (or the mean of the middle two) in
    # order, the count read from the index, the hours computed once per row.
    count = "(SELECT COUNT(*) FROM relationship WHERE responded_at IS NOT NULL)"
    return (
        "SELECT AVG(h) AS median FROM (SELECT h FROM"  # noqa: S608 - constants only
        " (SELECT (julianday(responded_at) - julianday(created_at)) * 24.0 AS h"
        " FROM relationship WHERE responded_at IS NOT NULL)"
        f" ORDER BY h LIMIT 2 - {count} % 2 OFFSET ({count} - 1) / 2)"
    )


async def program_stats(now: datetime) -> ProgramStats:
    db = connection()
    params = Params(dialect_of(db))
    counts = (await fetch(db, _counts_sql(params, now), params))[0]
    median_params = Params(params.dialect)
    median = (await fetch(db, _median_sql(median_params), median_params))[0]["median"]
    answered, accepted = int(counts["answered"]), int(counts["accepted"])
    return ProgramStats(
        mentors=int(counts["mentors"]),
        mentors_accepting=int(counts["mentors_accepting"]),
        mentees=int(counts["mentees"]),
        requests_open=int(counts["requests_open"]),
        requests_last_30_days=int(counts["requests_recent"]),
        acceptance_rate=accepted / answered if answered else None,
        median_response_hours=None if median is None else round(float(median), 2),
        relationships_active=int(counts["active"]),
        relationships_completed=int(counts["completed"]),
        relationships_ended=int(counts["ended"]),
        messages_last_30_days=int(counts["messages_recent"]),
    )
