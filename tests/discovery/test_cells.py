"""The cells the final suggestion scan reads hold every mentor who can reach the threshold, once.

`orm.suggestions._cells` splits the eligible mentors by topic mask and by
what they share with the mentee (industry, field of study, best place), and
keeps only the parts whose upper bound reaches the threshold. A mentor
missed by every cell would be missing from the top k; one read by two cells
would be suggested twice; one whose standing is below the level its cell
seeks would be missed too. Checked here for every mask, every way of
sharing and every standing, over many mentees and thresholds, without a
database: the bound of a mentor in a part is known from the part alone.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from itertools import product

from orm.suggestions import SHARED, Criterion, _Cell, _cells, _maxima, _place, _points_by_mask
from orm.traits import MenteeTraits
from orm.vocabulary import Situation, Topic
from resolvers.scoring import WEIGHTS

NOW = datetime.now(UTC)
BY_MASK = (Criterion.TOPICS, Criterion.SITUATION)
SEEKABLE = (*BY_MASK, Criterion.INDUSTRY, Criterion.FIELD_OF_STUDY, Criterion.LOCATION)


def mentee(rng: random.Random) -> MenteeTraits:
    return MenteeTraits(
        mentee_id=1,
        user_id=1,
        topics=tuple(rng.sample(list(Topic), rng.randint(0, 4))),
        languages=tuple(rng.sample(["de", "en", "fr", "tr"], rng.randint(1, 4))),
        industry=rng.choice([None, "Software", "Banking"]),
        field_of_study=rng.choice([None, "Physics", "Law"]),
        years_of_experience=rng.randint(0, 10),
        situation=rng.choice([None, *(s.value for s in Situation)]),
        country=rng.choice([None, "DE", "US"]),
        target_country=rng.choice([None, "US"]),
        timezone=rng.choice([None, "Europe/Berlin"]),
        now=NOW,
    )


def holds(cell: _Cell, mask: int, shared: set[str]) -> bool:
    """Whether a mentor with this mask, sharing these things with the mentee, is read by `cell`."""

    def part(shares: tuple[str, ...], masks: frozenset[int]) -> bool:
        return mask in masks and set(shares) <= shared

    return part(cell.shares, cell.masks) and not any(part(*other) for other in cell.before)


def location(m: MenteeTraits, in_place: bool) -> int:
    """The most LOCATION points of a mentor in the mentee's best place, or elsewhere."""
    place, gain, elsewhere = _place(m, WEIGHTS)
    if place is None:
        return _maxima(m, WEIGHTS, None)[Criterion.LOCATION]
    return elsewhere + gain * in_place


def test_every_mentor_who_can_reach_the_threshold_is_in_exactly_one_cell_and_sought() -> None:
    rng = random.Random(21)
    pruned = below_need = 0
    standing_most = WEIGHTS.max_free_places * WEIGHTS.per_free_place + WEIGHTS.responsiveness
    for _ in range(100):
        m = mentee(rng)
        maxima = _maxima(m, WEIGHTS, most_languages=rng.randint(1, 4))
        rest = sum(most for c, most in maxima.items() if c not in SEEKABLE)
        has = {"industry": bool(m.industry), "field": bool(m.field_of_study)}
        has["place"] = _place(m, WEIGHTS)[0] is not None
        best = sum(maxima.values())
        threshold = rng.randint(best // 2, best)
        cells = _cells(m, WEIGHTS, threshold, maxima)
        points = _points_by_mask(m, WEIGHTS)
        for mask in range(1 << len(Topic)):
            for sharing in product((False, True), repeat=len(SHARED)):
                shared = {name for name, yes in zip(SHARED, sharing, strict=True) if yes}
                # A mentee without an industry (field, country) shares it with no one.
                if any(not has[name] for name in shared):
                    continue
                reach = points[mask] + rest
                reach += maxima[Criterion.INDUSTRY] * ("industry" in shared)
                reach += maxima[Criterion.FIELD_OF_STUDY] * ("field" in shared)
                reach += location(m, "place" in shared)
                reading = [cell for cell in cells if holds(cell, mask, shared)]
                if reach >= threshold:
                    assert len(reading) == 1, (m, threshold, mask, shared)
                    # A mentor whose standing can still make up the rest is sought.
                    for standing in range(standing_most + 1):
                        if reach - standing_most + standing >= threshold:
                            assert reading[0].need(mask) <= standing, (m, mask, shared)
                        else:
                            below_need += reading[0].need(mask) > standing
                else:
                    pruned += not reading
    assert pruned > 3_000, "the cells must leave out those who cannot reach the threshold"
    assert below_need > 3_000, "the seeks must leave out mentors whose standing is too low"
