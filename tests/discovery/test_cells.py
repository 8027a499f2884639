"""The cells the final suggestion scan reads hold every mentor who can reach the threshold, once.

`orm.suggestions._cells` splits the eligible mentors by topic mask, shared
industry and shared field of study, and keeps only the parts whose upper
bound reaches the threshold. A mentor missed by every cell would be missing
from the top k; one read by two cells would be suggested twice. Checked
here for every mask and every way of sharing, over many mentees and
thresholds, without a database: the bound of a mentor in a part is known
from the part alone.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from orm.suggestions import Criterion, _cells, _mask_points, _maxima
from orm.traits import MenteeTraits
from orm.vocabulary import Situation, Topic
from resolvers.scoring import WEIGHTS

NOW = datetime.now(UTC)
SEEKABLE = (Criterion.TOPICS, Criterion.SITUATION, Criterion.INDUSTRY, Criterion.FIELD_OF_STUDY)


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
        country=rng.choice([None, "DE", "FR"]),
        target_country=rng.choice([None, "US"]),
        timezone=rng.choice([None, "Europe/Berlin"]),
        now=NOW,
    )


def test_every_mentor_who_can_reach_the_threshold_is_in_exactly_one_cell() -> None:
    rng = random.Random(21)
    pruned = 0
    for _ in range(100):
        m = mentee(rng)
        maxima = _maxima(m, WEIGHTS, most_languages=rng.randint(1, 4))
        rest = sum(most for c, most in maxima.items() if c not in SEEKABLE)
        industry = maxima[Criterion.INDUSTRY] if m.industry else 0
        field = maxima[Criterion.FIELD_OF_STUDY] if m.field_of_study else 0
        best = sum(maxima.values())
        threshold = rng.randint(best // 2, best)
        cells = _cells(m, WEIGHTS, threshold, maxima)
        for mask in range(1 << len(Topic)):
            for shares_industry in (False, True):
                for shares_field in (False, True):
                    reach = _mask_points(m, WEIGHTS, mask) + rest
                    reach += industry * shares_industry + field * shares_field
                    holding = [
                        cell
                        for cell in cells
                        if mask in cell.masks
                        and (shares_industry or not cell.industry)
                        and (shares_field or not cell.field)
                        and not (shares_industry and mask in cell.read)
                    ]
                    # A mentee without an industry (field) shares it with no one.
                    if (shares_industry and not m.industry) or (
                        shares_field and not m.field_of_study
                    ):
                        continue
                    if reach >= threshold:
                        assert len(holding) == 1, (m, threshold, mask)
                    else:
                        pruned += not holding
    assert pruned > 3_000, "the cells must leave out those who cannot reach the threshold"
