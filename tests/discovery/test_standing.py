"""A cell of the final suggestion scan seeks the mentors whose standing can reach the threshold.

A mentor's standing (CAPACITY and RESPONSIVENESS points) is a key of the
four suggestion indexes (migration 0019), written there with the weights of
`resolvers.scoring`. A read seeks it only while the query's expression is
the index's, term for term: when the weights or the SQL of either
criterion change without a migration, the read still finds every mentor,
but by reading every entry of the cell, which at a million mentors was
half of a flat mentee's request. The plans below show the seek.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from starlette.applications import Starlette
from tortoise.transactions import in_transaction

from orm.sql import POSTGRES, Params, dialect_of
from orm.suggestions import Threshold, _maxima, cell_reads
from orm.timezones import hour_of
from orm.traits import MenteeTraits
from orm.vocabulary import Situation, Topic
from resolvers.scoring import WEIGHTS

NOW = datetime(2026, 1, 1, tzinfo=UTC)

MENTEE = MenteeTraits(
    mentee_id=1,
    user_id=1,
    topics=(Topic.CAREER_PLANNING,),
    languages=("de", "en", "fr"),
    industry="Software",
    field_of_study="History",
    years_of_experience=3,
    situation=Situation.CAREER_ENTRY.value,
    country="DE",
    target_country=None,
    timezone="Europe/Berlin",
    now=NOW,
)


async def test_every_cell_read_seeks_the_standing_its_index_holds(app: Starlette) -> None:
    maxima = _maxima(MENTEE, WEIGHTS, most_languages=3)
    # A cell for each thing shared, most of them needing more standing than the least.
    threshold = Threshold(score=46, mentor_id=1)
    async with in_transaction() as db:
        params = Params(dialect_of(db))
        reads = cell_reads(MENTEE, WEIGHTS, hour_of(NOW), threshold, maxima, params)
        # The industry index holds the field of study before the standing: a cell
        # of the industry alone cannot seek it, one of industry and field can.
        seeking = [
            read
            for read in reads
            if read.need > 0
            and (read.cell.index != "mentor_alike_idx" or len(read.cell.shares) > 1)
        ]
        assert {read.cell.index for read in seeking} == {
            "mentor_alike_idx",
            "mentor_field_idx",
            "mentor_place_idx",
        }
        # One statement of every read, as the final scan runs them: a plan line each.
        union = " UNION ALL ".join(read.sql for read in reads)
        if params.dialect == POSTGRES:
            # A table of a few rows is read whole; the plan that seeks is wanted.
            await db.execute_query("SET LOCAL enable_seqscan = off")
            await db.execute_query("SET LOCAL enable_bitmapscan = off")
            rows = await db.execute_query_dict(f"EXPLAIN {union}", params.values)
            plan = [row["QUERY PLAN"] for row in rows]
            sought = [line for line in plan if "Index Cond" in line and "answered_quickly" in line]
            # Over a few rows the planner picks any index that seeks the standing.
            assert len(sought) >= len(seeking), plan
        else:
            rows = await db.execute_query_dict(f"EXPLAIN QUERY PLAN {union}", params.values)
            plan = [row["detail"] for row in rows]
            # The standing is the last key sought: a range after the equalities.
            sought = [line for line in plan if re.search(r"^SEARCH .*<expr>>\?\)$", line)]
            assert len(sought) == len(seeking), plan
