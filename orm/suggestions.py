"""The suggestion query: the eligible mentors scored in SQL, pruned by an exact bound.

Each criterion is an integer SQL expression over the mentor row `mp`, and
the query returns them as columns beside the mentor id, so the caller builds
the reasons of the rows it got without scoring anything again, and a score
is the sum of its reasons by construction. `mentorSuggestions` orders the
eligible mentors by the sum (then by id) and keeps the first k; `matchScore`
runs the same expressions for one mentor, with one column per eligibility
rule. The points come from `Weights`, which `resolvers.scoring` fills in.

`best_mentors` is two statements: a seed that scores a bounded sample and
gives a threshold, and the final scan, which reads only mentors whose upper
bound reaches it (see its docstring), in cells of topic masks with or
without the mentee's industry, field of study and best place. Each cell is
read from the partial covering index that seeks it (migrations 0016, 0019):
`mentor_suggestion_idx` (topic mask), `mentor_alike_idx` (topic mask,
industry, field of study), `mentor_field_idx` (topic mask, field of study)
or `mentor_place_idx` (topic mask, country), each then by the mentor's
standing (`standing_sql`); topic overlap is integer arithmetic on
`topic_mask`. SQLite is told the index (INDEXED BY): a renamed index is an
error, not a slow plan.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from functools import cached_property
from itertools import combinations

from orm import eligibility
from orm.rules.accepting import free_places_sql
from orm.rules.responsiveness import points_sql as responsiveness_points_sql
from orm.search import MENTOR_COLUMNS, FoundMentor, found_mentor, mentor_joins
from orm.sql import POSTGRES, Params, connection, dialect_of, fetch
from orm.timezones import zones_within
from orm.traits import MenteeTraits
from orm.vocabulary import Situation, Topic, topic_mask, topic_position


class Criterion(Enum):
    TOPICS = "TOPICS"
    LANGUAGES = "LANGUAGES"
    INDUSTRY = "INDUSTRY"
    FIELD_OF_STUDY = "FIELD_OF_STUDY"
    EXPERIENCE = "EXPERIENCE"
    SITUATION = "SITUATION"
    LOCATION = "LOCATION"
    TIME_ZONE = "TIME_ZONE"
    CAPACITY = "CAPACITY"
    RESPONSIVENESS = "RESPONSIVENESS"


@dataclass(frozen=True)
class Weights:
    per_shared_topic: int
    per_shared_language: int
    same_industry: int
    same_field_of_study: int
    # (the mentor has at least this many more years, points), largest gap first
    experience_gap: tuple[tuple[int, int], ...]
    # the topics that help a mentee in each situation, and the points for offering one
    situation_topics: Mapping[Situation, tuple[Topic, ...]]
    situation_fit: int
    relocation_target_country: int
    same_country: int
    # (clocks at most this many minutes apart, points), closest first
    time_zone: tuple[tuple[int, int], ...]
    per_free_place: int
    max_free_places: int
    # the most a mentor who answers every request quickly gets (`orm.rules.responsiveness`)
    responsiveness: int


@dataclass(frozen=True)
class Scored:
    mentor_id: int
    points: dict[Criterion, int]
    failed_rules: list[eligibility.Rule] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(self.points.values())


def _case(condition: str, points: int) -> str:
    return f"CASE WHEN {condition} THEN {points} ELSE 0 END"


def _topics(m: MenteeTraits, w: Weights, p: Params, at: datetime) -> str:
    if not m.topics:
        return "0"
    bits = " + ".join(f"((mp.topic_mask >> {topic_position(t)}) & 1)" for t in m.topics)
    return f"{w.per_shared_topic} * ({bits})"


def _languages(m: MenteeTraits, w: Weights, p: Params, at: datetime) -> str:
    return f"{w.per_shared_language} * {p.json_array_count('mp.languages', m.languages)}"


def _same_text(column: str, value: str | None, points: int, p: Params) -> str:
    if not value:
        return "0"
    return _case(f"lower({column}) = lower({p.add(value)})", points)


def _industry(m: MenteeTraits, w: Weights, p: Params, at: datetime) -> str:
    return _same_text("mp.industry", m.industry, w.same_industry, p)


def _field_of_study(m: MenteeTraits, w: Weights, p: Params, at: datetime) -> str:
    return _same_text("mp.field_of_study", m.field_of_study, w.same_field_of_study, p)


def _experience(m: MenteeTraits, w: Weights, p: Params, at: datetime) -> str:
    # One bound value per tier: a `?` placeholder cannot be used twice.
    tiers = " ".join(
        f"WHEN mp.years_of_experience >= {p.add(m.years_of_experience + years)} THEN {points}"
        for years, points in w.experience_gap
    )
    return f"CASE {tiers} ELSE 0 END" if tiers else "0"


def _situation(m: MenteeTraits, w: Weights, p: Params, at: datetime) -> str:
    helpful = w.situation_topics.get(Situation(m.situation)) if m.situation else None
    if not helpful:
        return "0"
    mask = topic_mask(topic.value for topic in helpful)
    return _case(f"(mp.topic_mask & {p.add(mask)}) <> 0", w.situation_fit)


def _location(m: MenteeTraits, w: Weights, p: Params, at: datetime) -> str:
    branches = []
    if m.situation == Situation.RELOCATION.value and m.target_country:
        branches.append(
            f"WHEN mp.country = {p.add(m.target_country)} THEN {w.relocation_target_country}"
        )
    if m.country:
        branches.append(f"WHEN mp.country = {p.add(m.country)} THEN {w.same_country}")
    return f"CASE {' '.join(branches)} ELSE 0 END" if branches else "0"


def _time_zone(m: MenteeTraits, w: Weights, p: Params, at: datetime) -> str:
    if not m.timezone:
        return "0"
    groups = zones_within(m.timezone, w.time_zone, at)
    branches = [
        f"WHEN mp.timezone IN ({p.add_all(zones)}) THEN {points}"
        for zones, (_, points) in zip(groups, w.time_zone, strict=True)
        if zones and points
    ]
    return f"CASE {' '.join(branches)} ELSE 0 END" if branches else "0"


def _capacity(m: MenteeTraits, w: Weights, p: Params, at: datetime) -> str:
    return _capacity_points("mp", w)


def _capacity_points(alias: str, w: Weights) -> str:
    free = free_places_sql(alias)
    return (
        f"CASE WHEN {free} >= {w.max_free_places} THEN {w.max_free_places * w.per_free_place} "
        f"WHEN {free} > 0 THEN {free} * {w.per_free_place} ELSE 0 END"
    )


def _responsiveness(m: MenteeTraits, w: Weights, p: Params, at: datetime) -> str:
    return responsiveness_points_sql("mp", w.responsiveness)


def standing_sql(alias: str, w: Weights) -> str:
    """A mentor's *standing*: their CAPACITY and RESPONSIVENESS points, the same
    whoever asks, as the integer SQL expression the suggestion indexes hold as
    a key (migration 0019). The SQL must stay the index's, term for term, for
    the indexes to seek it (`tests/discovery/test_standing.py`)."""
    return f"({_capacity_points(alias, w)} + {responsiveness_points_sql(alias, w.responsiveness)})"


Expression = Callable[[MenteeTraits, Weights, Params, datetime], str]
EXPRESSIONS: dict[Criterion, Expression] = {
    Criterion.TOPICS: _topics,
    Criterion.LANGUAGES: _languages,
    Criterion.INDUSTRY: _industry,
    Criterion.FIELD_OF_STUDY: _field_of_study,
    Criterion.EXPERIENCE: _experience,
    Criterion.SITUATION: _situation,
    Criterion.LOCATION: _location,
    Criterion.TIME_ZONE: _time_zone,
    Criterion.CAPACITY: _capacity,
    Criterion.RESPONSIVENESS: _responsiveness,
}


_POINT_NAMES = {criterion: f"p_{criterion.value.lower()}" for criterion in EXPRESSIONS}


def _point_columns(mentee: MenteeTraits, weights: Weights, params: Params, at: datetime) -> str:
    return ", ".join(
        f"{build(mentee, weights, params, at)} AS {_POINT_NAMES[criterion]}"
        for criterion, build in EXPRESSIONS.items()
    )


def _points(row: Mapping[str, object]) -> dict[Criterion, int]:
    return {c: int(str(row[name])) for c, name in _POINT_NAMES.items()}


# Rows per seed sample: scoring them is the price of the threshold, which
# bounds the final scan. For the bench's 25 viewers at 1,000,000 mentors on
# SQLite (thousands of virtual machine steps, seed + final): 300 rows cost
# 8,900 in all but 1,640 for the worst viewer; 1000 rows 9,700 and 890.
SEED_ROWS = 1000


def _best_tier(tiers: tuple[tuple[int, int], ...]) -> int:
    return max((points for _, points in tiers), default=0)


def _situation_max(m: MenteeTraits, w: Weights) -> int:
    helpful = w.situation_topics.get(Situation(m.situation)) if m.situation else None
    return w.situation_fit if helpful else 0


def _location_max(m: MenteeTraits, w: Weights) -> int:
    relocating = m.situation == Situation.RELOCATION.value and bool(m.target_country)
    return max(w.relocation_target_country if relocating else 0, w.same_country if m.country else 0)


def _maxima(m: MenteeTraits, w: Weights, most_languages: int | None) -> dict[Criterion, int]:
    """The most each criterion can give this mentee: upper bounds for pruning.

    A mentor shares at most as many languages as the eligible mentor who
    speaks the most (`most_languages`, from `mentor_language_count_idx`), which
    keeps the bound tight for a mentee who lists many languages.
    """
    languages = len(m.languages)
    if most_languages is not None:
        languages = min(languages, most_languages)
    return {
        Criterion.TOPICS: w.per_shared_topic * len(m.topics),
        Criterion.LANGUAGES: w.per_shared_language * languages,
        Criterion.INDUSTRY: w.same_industry if m.industry else 0,
        Criterion.FIELD_OF_STUDY: w.same_field_of_study if m.field_of_study else 0,
        Criterion.EXPERIENCE: _best_tier(w.experience_gap),
        Criterion.SITUATION: _situation_max(m, w),
        Criterion.LOCATION: _location_max(m, w),
        Criterion.TIME_ZONE: _best_tier(w.time_zone) if m.timezone else 0,
        Criterion.CAPACITY: w.max_free_places * w.per_free_place,
        Criterion.RESPONSIVENESS: w.responsiveness,
    }


# Criteria whose SQL is integer arithmetic or a plain comparison (a time
# zone's is an IN list): cheap enough to compute exactly in the pruning bound.
# LANGUAGES is the one left: counting shared languages reads the JSON array.
CHEAP = (
    Criterion.TOPICS,
    Criterion.INDUSTRY,
    Criterion.FIELD_OF_STUDY,
    Criterion.EXPERIENCE,
    Criterion.SITUATION,
    Criterion.LOCATION,
    Criterion.TIME_ZONE,
    Criterion.CAPACITY,
    Criterion.RESPONSIVENESS,
)


def _bound(
    m: MenteeTraits, w: Weights, p: Params, at: datetime, maxima: dict[Criterion, int]
) -> str:
    """An upper bound of a mentor's score that is cheap to evaluate per row: every
    criterion exact but LANGUAGES, whose points count as many languages as the
    mentor lists, up to the most any mentor can share with the mentee.

    Exact is what a mentee whose scores are flat needs: hundreds of mentors tie
    at the threshold, and only a bound equal to the score leaves out those
    whose ids come after it (`cell_reads`).
    """
    exact = " + ".join(EXPRESSIONS[c](m, w, p, at) for c in CHEAP)
    shared_at_most = (
        maxima[Criterion.LANGUAGES] // w.per_shared_language if w.per_shared_language else 0
    )
    least = "LEAST" if p.dialect == POSTGRES else "min"
    listed = _language_count_sql(p)
    return f"{exact} + {w.per_shared_language} * {least}({listed}, {shared_at_most})"


def _masks_sharing(m: MenteeTraits, at_least: int) -> list[int]:
    """Every possible topic_mask holding at least `at_least` of the mentee's topics."""
    wanted = topic_mask(topic.value for topic in m.topics)
    return [mask for mask in range(1 << len(Topic)) if (mask & wanted).bit_count() >= at_least]


def _same_text_sql(column: str, value: str, p: Params) -> str:
    # Spelled as the index expressions of migration 0015 (`lower(<column>)`).
    return f"lower({column}) = lower({p.add(value)})"


def _language_count_sql(p: Params) -> str:
    # The expression of `mentor_language_count_idx` (migration 0015), term for term.
    if p.dialect == POSTGRES:
        return "jsonb_array_length(mp.languages)"
    return "json_array_length(mp.languages)"


def _indexed_by(params: Params, index: str) -> str:
    return "" if params.dialect == POSTGRES else f" INDEXED BY {index}"


def _points_by_mask(m: MenteeTraits, w: Weights) -> dict[int, int]:
    """TOPICS and SITUATION points of a mentor with each topic mask, as the SQL counts them.

    The mentee's side is worked out once for all 256 masks (the seed and the
    cells each ask for the table): looking up each topic's bit and the
    situation's mask again for every mask took about a third of a
    suggestion request at 100,000 mentors on SQLite.
    """
    positions = [topic_position(t) for t in m.topics]
    helpful = w.situation_topics.get(Situation(m.situation)) if m.situation else None
    helpful_mask = topic_mask(topic.value for topic in helpful) if helpful else 0
    points = {}
    for mask in range(1 << len(Topic)):
        shared = w.per_shared_topic * sum((mask >> position) & 1 for position in positions)
        points[mask] = shared + (w.situation_fit if mask & helpful_mask else 0)
    return points


def _in_masks(masks: set[int]) -> str:
    return f"mp.topic_mask IN ({', '.join(str(mask) for mask in sorted(masks))})"


def seed_query(
    mentee: MenteeTraits, weights: Weights, at: datetime, first: int
) -> tuple[str, Params]:
    """The seed's statement (see `_seed`): rows of (score, id, most_languages), best first."""
    params = Params(dialect_of(connection()))
    points = _points_by_mask(mentee, weights)
    best = max(points.values())
    top_masks = {mask for mask, p in points.items() if p == best}
    every_topic = set(_masks_sharing(mentee, len(mentee.topics)))
    # The country that earns the most LOCATION points.
    relocating = mentee.situation == Situation.RELOCATION.value and mentee.target_country
    place = mentee.target_country if relocating else mentee.country
    total = " + ".join(_POINT_NAMES.values())

    def sample(alike: bool) -> str:
        # Built in the order of the text: SQLite's `?` placeholders are positional.
        columns = _point_columns(mentee, weights, params, at)
        index = "mentor_suggestion_idx"
        if alike and mentee.field_of_study:
            index = "mentor_field_idx"
        if alike and mentee.industry:
            index = "mentor_alike_idx"
        eligible = eligibility.where(mentee, params)
        alike_sql = f" AND {_in_masks(top_masks if alike else every_topic)}"
        if alike and mentee.industry:
            alike_sql += f" AND {_same_text_sql('mp.industry', mentee.industry, params)}"
        if alike and mentee.field_of_study:
            field = mentee.field_of_study
            alike_sql += f" AND {_same_text_sql('mp.field_of_study', field, params)}"
        if alike and place and not (mentee.industry and mentee.field_of_study):
            # Without both, the mentors alike are many: those in the place
            # with the most LOCATION points first. (Not a key of the index:
            # the rows elsewhere are read past.)
            alike_sql += f" AND mp.country = {params.add(place)}"
        # The first rows of the index: the highest standing, then the most
        # experienced, of each mask (migration 0019).
        scored = (
            f"SELECT mp.id AS id, {columns} FROM mentor_profile mp{_indexed_by(params, index)} "
            f"WHERE {eligible}{alike_sql} LIMIT {SEED_ROWS}"
        )
        return f"SELECT id, {total} AS score FROM ({scored}) AS s{int(alike)}"

    most = (
        f"SELECT MAX({_language_count_sql(params)}) FROM mentor_profile mp "
        f"WHERE {eligibility.indexed_where('mp')}"
    )
    union = f"{sample(True)} UNION {sample(False)}"
    sql = (
        f"SELECT score, id, ({most}) AS most_languages FROM ({union}) AS sample "
        f"ORDER BY score DESC, id ASC LIMIT {params.add(first)}"
    )
    return sql, params


@dataclass(frozen=True)
class Threshold:
    """The k-th best (score, id) of a sample of eligible mentors, ties by id.

    The true k-th best comes no later in that order, so a mentor in the top
    k scores more than `score`, or `score` with an id of at most `mentor_id`.
    """

    score: int
    mentor_id: int


async def _seed(
    mentee: MenteeTraits, weights: Weights, at: datetime, first: int
) -> tuple[Threshold | None, int | None]:
    """(threshold, most languages): the k-th best of a sample, or None without k rows.

    The sample is two bounded sets of eligible mentors, the first rows of
    their index, highest standing first, then most experienced: any who offer all the mentee's
    topics, and those alike, whose scores are near the top: the mentee's
    industry and field of study and a topic mask that earns the most TOPICS
    and SITUATION points (and, when industry or field is missing, the place
    that earns the most LOCATION points). UNION keeps a mentor found by both
    once.
    """
    sql, params = seed_query(mentee, weights, at, first)
    rows = await fetch(connection(), sql, params)
    if len(rows) < first:
        return None, None
    kth = Threshold(int(rows[-1]["score"]), int(rows[-1]["id"]))
    return kth, int(rows[0]["most_languages"])


def _place(m: MenteeTraits, w: Weights) -> tuple[str | None, int, int]:
    """(country, gain, elsewhere): the country that earns the most LOCATION points,
    how many more than a mentor elsewhere can earn, and that mentor's most."""
    relocating = m.situation == Situation.RELOCATION.value and bool(m.target_country)
    if relocating:
        # Living in the mentee's own country still earns `same_country`.
        elsewhere = w.same_country if m.country and m.country != m.target_country else 0
        return m.target_country, w.relocation_target_country - elsewhere, elsewhere
    if m.country:
        return m.country, w.same_country, 0
    return None, 0, 0


# What a mentor can share with the mentee, in the order the cells take them,
# and the index that seeks a cell whose mentors share it (a cell that shares
# several is read from the first one's).
SHARED = ("industry", "field", "place")
INDEX_OF = {
    "industry": "mentor_alike_idx",
    "field": "mentor_field_idx",
    "place": "mentor_place_idx",
}


@dataclass(frozen=True)
class _Cell:
    """Eligible mentors with one of `masks` who share what `shares` names with the
    mentee, except those another cell, read before, holds (`before`).

    `levels` splits the masks by the least standing (`standing_sql`) a mentor
    with one of them needs to reach the threshold; each level is one seek.
    """

    shares: tuple[str, ...]
    before: tuple[tuple[tuple[str, ...], frozenset[int]], ...]
    levels: tuple[tuple[int, frozenset[int]], ...]

    @cached_property
    def masks(self) -> frozenset[int]:
        return frozenset().union(*(masks for _, masks in self.levels))

    @property
    def index(self) -> str:
        return INDEX_OF[self.shares[0]] if self.shares else "mentor_suggestion_idx"

    def need(self, mask: int) -> int:
        """The least standing a mentor of this cell with `mask` needs (no seek: 0)."""
        return next((need for need, masks in self.levels if mask in masks), 0)

    def sql(
        self,
        mentee: MenteeTraits,
        weights: Weights,
        params: Params,
        masks: frozenset[int],
        need: int,
    ) -> str:
        """The condition of one level: `masks`, and a standing of at least `need`."""

        def same(name: str) -> str:
            # IS NOT NULL: under NOT, a NULL comparison would keep no row.
            if name == "industry":
                column, test = (
                    "mp.industry",
                    _same_text_sql("mp.industry", mentee.industry or "", params),
                )
            elif name == "field":
                field = mentee.field_of_study or ""
                column, test = (
                    "mp.field_of_study",
                    _same_text_sql("mp.field_of_study", field, params),
                )
            else:
                column, test = (
                    "mp.country",
                    f"mp.country = {params.add(_place(mentee, weights)[0])}",
                )
            return f"({column} IS NOT NULL AND {test})"

        terms = [same(name) for name in self.shares]
        if len(masks) < 1 << len(Topic):
            terms.append(_in_masks(set(masks)))
        if need > 0:
            # A range of the index's standing key, after the masks and what is shared.
            terms.append(f"{standing_sql('mp', weights)} >= {params.add(need)}")
        for shares, its_masks in self.before:
            terms.append(f"NOT ({' AND '.join([*map(same, shares), _in_masks(set(its_masks))])})")
        return " AND ".join(terms) if terms else "1 = 1"


def _cells(
    mentee: MenteeTraits, weights: Weights, threshold: int, maxima: dict[Criterion, int]
) -> list[_Cell]:
    """Disjoint sets of eligible mentors that hold every mentor whose upper bound
    reaches `threshold`, each with the index that seeks it.

    A mentor's topic mask gives its TOPICS and SITUATION points exactly;
    sharing the mentee's industry, field of study or best place (`_place`)
    adds a known number; every other criterion gives at most its maximum
    (`rest`). So for each set of things shared, only the masks whose points
    reach `threshold - rest - (what that set earns)` can hold a top mentor.
    A cell is a set of things shared and the masks that reach the threshold
    with it but with none of its subsets: a mentor is read by the first cell
    whose things it shares and whose masks hold its mask; the cells after
    leave out the mentors of the cells before that share things they do not
    (`before`), so that no mentor is read twice.
    """
    place, place_gain, elsewhere = _place(mentee, weights)
    gains = {
        "industry": maxima[Criterion.INDUSTRY] if mentee.industry else 0,
        "field": maxima[Criterion.FIELD_OF_STUDY] if mentee.field_of_study else 0,
        "place": place_gain if place else 0,
    }
    names = [name for name in SHARED if gains[name] > 0]
    seekable = (
        Criterion.TOPICS,
        Criterion.SITUATION,
        Criterion.INDUSTRY,
        Criterion.FIELD_OF_STUDY,
        Criterion.LOCATION,
    )
    rest = sum(most for c, most in maxima.items() if c not in seekable)
    rest += elsewhere if place else maxima[Criterion.LOCATION]
    standing_most = maxima[Criterion.CAPACITY] + maxima[Criterion.RESPONSIVENESS]
    points = _points_by_mask(mentee, weights)
    subsets = [
        tuple(shares) for size in range(len(names) + 1) for shares in combinations(names, size)
    ]
    reaching = {
        shares: frozenset(
            mask
            for mask, p in points.items()
            if p + rest + sum(gains[name] for name in shares) >= threshold
        )
        for shares in subsets
    }
    cells: list[_Cell] = []
    for shares in subsets:
        masks = reaching[shares].difference(
            *(reaching[other] for other in subsets if set(other) < set(shares))
        )
        if not masks:
            continue
        before = tuple(
            (cell.shares, cell.masks) for cell in cells if not set(cell.shares) <= set(shares)
        )
        # `rest` counted standing at its most: a mentor below it needs the
        # difference from elsewhere, and the indexes seek standing after the
        # masks and what is shared. A mentor of this cell may share more than
        # `shares` (what no cell before holds), so the most it can gain counts.
        # What that is depends on a mask only through the cells before that hold
        # it, worked out once per such set (a request's Python time doubled when
        # it was worked out for each mask).
        others = [name for name in names if name not in shares]
        sharing = sorted(
            (
                ({*shares, *more}, sum(gains[name] for name in (*shares, *more)))
                for size in range(len(others) + 1)
                for more in combinations(others, size)
            ),
            key=lambda shared_gain: -shared_gain[1],
        )
        gained: dict[tuple[frozenset[str], ...], int] = {}
        by_need: dict[int, set[int]] = {}
        for mask in masks:
            held = tuple(frozenset(earlier) for earlier, its_masks in before if mask in its_masks)
            if held not in gained:
                # The most gained first; `shares` alone is never held before.
                gained[held] = next(
                    gain for shared, gain in sharing if not any(h <= shared for h in held)
                )
            need = threshold - points[mask] - (rest - standing_most) - gained[held]
            by_need.setdefault(max(need, 0), set()).add(mask)
        levels = tuple((need, frozenset(group)) for need, group in sorted(by_need.items()))
        cells.append(_Cell(shares, before, levels))
    return cells


@dataclass(frozen=True)
class CellRead:
    """`sql`, `SELECT <id> ...`: the candidates of one level of `cell`, whose
    standing is at least `need`."""

    cell: _Cell
    need: int
    sql: str


def cell_reads(
    mentee: MenteeTraits,
    weights: Weights,
    at: datetime,
    threshold: Threshold,
    maxima: dict[Criterion, int],
    params: Params,
) -> list[CellRead]:
    """The reads of the candidates in each level of each cell: the mentors
    whose bound can reach the threshold, from the cell's index alone
    (migrations 0016, 0019)."""
    # A mentor whose bound is the threshold's score can rank in the top k
    # only with an id up to the threshold's: among many mentors tied at the
    # threshold (a mentee whose scores are flat), the others are never read.
    later = "(mp.id > {})" if params.dialect != POSTGRES else "(mp.id > {})::int"
    reads = []
    for cell in _cells(mentee, weights, threshold.score, maxima):
        for need, masks in cell.levels:
            where = cell.sql(mentee, weights, params, masks, need)
            bound = _bound(mentee, weights, params, at, maxima)
            sql = (
                f"SELECT mp.id AS id FROM mentor_profile mp{_indexed_by(params, cell.index)} "
                f"WHERE {eligibility.indexed_where('mp')} AND {where} "
                f"AND {bound} >= {params.add(threshold.score)} "
                f"+ {later.format(params.add(threshold.mentor_id))}"
            )
            reads.append(CellRead(cell, need, sql))
    return reads


def final_query(
    mentee: MenteeTraits,
    weights: Weights,
    at: datetime,
    first: int,
    threshold: Threshold | None,
    most_languages: int | None,
) -> tuple[str, Params]:
    """The final scan of `best_mentors` for the seed's threshold: rows of points, best first."""
    params = Params(dialect_of(connection()))
    total = " + ".join(_POINT_NAMES.values())
    if threshold is None:
        # Without a threshold every eligible mentor is scored. SQLite, without
        # statistics, took the narrow mentor_language_count_idx and read every
        # wide row; it is told the index that holds what the scan reads.
        columns = _point_columns(mentee, weights, params, at)
        condition = eligibility.where(mentee, params)
        index = _indexed_by(params, "mentor_suggestion_idx")
        sql = (
            f"SELECT scored.*, {total} AS score FROM ("
            f"SELECT mp.id AS id, {columns} FROM mentor_profile mp{index} WHERE {condition}"
            f") AS scored ORDER BY score DESC, id ASC LIMIT {params.add(first)}"
        )
        return sql, params
    maxima = _maxima(mentee, weights, most_languages)
    # Built in the order of SQLite's text, whose `?` placeholders are
    # positional: the columns, the candidates, the rules. (PostgreSQL's are
    # numbered, and its text puts the candidates first.)
    columns = _point_columns(mentee, weights, params, at)
    # The few candidates that pass are then read, checked against every rule and scored.
    reads = cell_reads(mentee, weights, at, threshold, maxima, params)
    found = (
        " UNION ALL ".join(read.sql for read in reads)
        or "SELECT mp.id AS id FROM mentor_profile mp WHERE 1 = 0"
    )
    condition = eligibility.where(mentee, params)
    if params.dialect == POSTGRES:
        # Each candidate's row by its key; left to itself, the planner may
        # hash the candidates against a scan of every mentor.
        scored = (
            f"SELECT one.* FROM ({found}) AS candidate, LATERAL (SELECT mp.id AS id, {columns} "
            f"FROM mentor_profile mp WHERE mp.id = candidate.id AND {condition} OFFSET 0) AS one"
        )
    else:
        # CROSS JOIN: SQLite keeps the candidates outside, each row read by its rowid.
        scored = (
            f"SELECT mp.id AS id, {columns} FROM ({found}) AS candidate "
            f"CROSS JOIN mentor_profile mp ON mp.id = candidate.id WHERE {condition}"
        )
    sql = (
        f"SELECT scored.*, {total} AS score FROM ({scored}) AS scored "
        f"ORDER BY score DESC, id ASC LIMIT {params.add(first)}"
    )
    return sql, params


async def best_mentors(
    mentee: MenteeTraits, weights: Weights, *, first: int, at: datetime
) -> list[Scored]:
    """The `first` eligible mentors with the highest scores, ties by id.

    A threshold algorithm over the criteria's upper bounds. The seed scores a
    bounded sample of eligible mentors (`_seed`); the k-th best score among
    them, `threshold`, is a lower bound of the true k-th best, so a mentor
    whose upper bound is below it cannot be in the top k. The bound turns
    into conditions an index can seek (`_cells`): a mentor's topic mask fixes
    its TOPICS and SITUATION points, sharing the industry, field of study or
    best place adds a known number, and every other criterion adds at most
    its maximum; so per set of things shared only the masks that can reach
    the threshold are read, and of them only those whose standing can make
    up the rest. The rows read are checked against a per-row bound,
    computed from the index alone, before their mentors are read, checked
    against every rule and scored; of the mentors whose bound is the
    threshold's score, only those whose id comes no later than the
    threshold's. Without k seed rows every eligible mentor is scored. The
    result is the exact top k either way: every mentor who can rank is in a
    cell, sought, and passes its bound (`tests/discovery/test_cells.py`,
    `tests/discovery/test_top_k.py`).
    """
    threshold, most_languages = await _seed(mentee, weights, at, first)
    sql, params = final_query(mentee, weights, at, first, threshold, most_languages)
    rows = await fetch(connection(), sql, params)
    return [Scored(mentor_id=int(row["id"]), points=_points(row)) for row in rows]


async def score_one(
    mentee: MenteeTraits, weights: Weights, mentor_id: int, *, at: datetime
) -> tuple[Scored, FoundMentor] | None:
    """One mentor's points, the eligibility rules it fails and its row; None if no such mentor."""
    db = connection()
    params = Params(dialect_of(db))
    columns = _point_columns(mentee, weights, params, at)
    checks = eligibility.rule_columns(mentee, params)
    one = (
        f"SELECT mp.id AS id, {columns}, {checks} FROM mentor_profile mp "
        f"WHERE mp.id = {params.add(mentor_id)}"
    )
    answers = [*_POINT_NAMES.values(), *(f"ok_{i}" for i in range(len(eligibility.RULES)))]
    picked = ", ".join(f"one.{name}" for name in answers)
    sql = f"SELECT {picked}, {MENTOR_COLUMNS} FROM ({one}) AS one {mentor_joins('one')}"
    rows = await fetch(db, sql, params)
    if not rows:
        return None
    row = rows[0]
    failed = [rule for i, rule in enumerate(eligibility.RULES) if not int(row[f"ok_{i}"])]
    scored = Scored(mentor_id=mentor_id, points=_points(row), failed_rules=failed)
    return scored, found_mentor(row)
