"""The hard filters of suggestions: which mentors may be suggested to a mentee.

Every rule is one SQL clause over the mentor row `mp`. `mentorSuggestions`
ANDs them all into its WHERE; `matchScore` evaluates each one as a column,
so that it can tell which rules exclude a mentor. Both read this one list,
so every rule, the relationship rules included (no open or active
relationship with the viewer, no decline of the viewer in the last 90 days,
from `orm.blocking`, and no block either way, from `orm.member_blocks`),
holds for both at once.

The first two rules spell out the condition of the partial index
`mentor_suggestion_idx` (migration 0002) term for term: SQLite uses a partial
index only when the query repeats its WHERE terms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from orm.blocking import open_relationship_mentors_sql, recent_decline_mentors_sql
from orm.member_blocks import hidden_users_sql
from orm.rules.accepting import accepts_mentees_sql
from orm.rules.suspension import not_suspended_sql
from orm.sql import Params
from orm.traits import MenteeTraits
from orm.vocabulary import N_


@dataclass(frozen=True)
class Rule:
    name: str
    refusal: str  # why a mentor who fails this rule is not suggested (English, N_-marked)
    clause: Callable[[MenteeTraits, Params], str]


RULES: tuple[Rule, ...] = (
    Rule(
        "COMPLETE_PROFILE",
        N_("The mentor's profile is not complete yet."),
        lambda mentee, params: "mp.is_complete",
    ),
    Rule(
        "FREE_CAPACITY",
        N_("The mentor accepts no mentees at the moment."),
        lambda mentee, params: accepts_mentees_sql("mp"),
    ),
    Rule(
        "NOT_SUSPENDED",
        N_("This mentor is not available at the moment."),
        lambda mentee, params: not_suspended_sql("mp.user_id"),
    ),
    Rule(
        "NOT_SELF",
        N_("This is your own mentor profile."),
        lambda mentee, params: f"mp.user_id <> {params.add(mentee.user_id)}",
    ),
    Rule(
        "NOT_BLOCKED",
        N_("You or this mentor blocked the other."),
        lambda mentee, params: f"mp.user_id NOT IN ({hidden_users_sql(mentee.user_id, params)})",
    ),
    Rule(
        "SHARED_LANGUAGE",
        N_("You share no language with this mentor."),
        lambda mentee, params: params.json_array_has_any("mp.languages", mentee.languages),
    ),
    Rule(
        "NO_OPEN_RELATIONSHIP",
        N_("You already have an open request or a mentoring with this mentor."),
        lambda mentee, params: (
            f"mp.id NOT IN ({open_relationship_mentors_sql(mentee.mentee_id, mentee.now, params)})"
        ),
    ),
    Rule(
        "NO_RECENT_DECLINE",
        N_("This mentor declined your request less than 90 days ago."),
        lambda mentee, params: (
            f"mp.id NOT IN ({recent_decline_mentors_sql(mentee.mentee_id, mentee.now, params)})"
        ),
    ),
)


def indexed_where(alias: str) -> str:
    """The condition of the partial indexes over eligible mentors (migrations 0002, 0015),
    term for term: a superset of the mentors that RULES admit, for any mentee."""
    return f"{alias}.is_complete AND {accepts_mentees_sql(alias)}"


def where(mentee: MenteeTraits, params: Params) -> str:
    """Every rule at once: the WHERE of the suggestion query."""
    return " AND ".join(f"({rule.clause(mentee, params)})" for rule in RULES)


def rule_columns(mentee: MenteeTraits, params: Params) -> str:
    """One 0/1 column per rule, `ok_<index>`, for explaining a single mentor."""
    return ", ".join(
        f"CASE WHEN ({rule.clause(mentee, params)}) THEN 1 ELSE 0 END AS ok_{index}"
        for index, rule in enumerate(RULES)
    )
