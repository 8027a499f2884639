"""The top k of mentorSuggestions are exactly the k best matchScores (ties by id)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from starlette.applications import Starlette

from orm.models import MenteeProfile, MentorProfile, User
from orm.seed import seed_synthetic
from orm.suggestions import Criterion
from resolvers import discovery
from resolvers.scoring import WEIGHTS, Reason
from tests.discovery.oracle import responsiveness_points
from tests.support import FAST_HASHER, Client

NOW = datetime.now(UTC)


async def give_answer_histories(seed: int) -> dict[int, tuple[int, int]]:
    """Every mentor a history of decided and quickly answered requests, none for some."""
    rng = random.Random(seed)
    histories = {}
    for mentor in await MentorProfile.all().order_by("id").only("id"):
        decided = rng.choice((0, 0, 1, 2, 5, 12, 40))
        quick = rng.randint(0, decided)
        await MentorProfile.filter(id=mentor.id).update(
            requests_decided=decided, answered_quickly=quick
        )
        histories[mentor.id] = (decided, quick)
    return histories


async def test_top_k_is_the_k_best_match_scores_for_many_mentees(app: Starlette) -> None:
    await seed_synthetic(mentors=250, mentees=30, seed=11, now=NOW)
    histories = await give_answer_histories(seed=11)
    # matchScore answers NOT_FOUND for an incomplete mentor (its owner's alone),
    # who is never suggested either.
    complete = MentorProfile.filter(is_complete=True).order_by("id")
    mentor_ids = [str(i) for i in await complete.values_list("id", flat=True)]
    mentees = await MenteeProfile.filter(is_complete=True).order_by("id").limit(8)
    assert len(mentees) == 8
    pruned = 0

    for profile in mentees:
        user = await User.get(id=profile.user_id)
        matches = [
            await discovery.match_score(user, mentor_id, now=NOW) for mentor_id in mentor_ids
        ]
        for match in matches:
            assert match.score == sum(reason.points for reason in match.reasons)
            decided, quick = histories[match.mentor.id]
            expected = responsiveness_points(decided, quick, WEIGHTS.responsiveness)
            earned = [r.points for r in match.reasons if r.criterion is Criterion.RESPONSIVENESS]
            assert earned == ([expected] if expected else [])
        earned_by = {
            r.points for m in matches for r in m.reasons if r.criterion is Criterion.RESPONSIVENESS
        }
        assert len(earned_by) >= 4, "responsiveness must tell mentors apart"
        ranked = sorted((m for m in matches if m.eligible), key=lambda m: (-m.score, m.mentor.id))
        assert 0 < len(ranked) < len(matches), "some mentors must be excluded, some not"
        # The query prunes with a threshold once k eligible mentors offer every
        # topic the mentee wants; count the mentees for whom that path runs.
        every_topic = 10 * len(profile.topics)
        pruned += any(
            Reason(Criterion.TOPICS, every_topic, r.detail) == r for m in ranked for r in m.reasons
        )

        for k in (1, 10, 50):
            best = await discovery.mentor_suggestions(user, k, now=NOW)
            assert [(m.mentor.id, m.score) for m in best] == [
                (m.mentor.id, m.score) for m in ranked[:k]
            ]
            assert [m.reasons for m in best] == [m.reasons for m in ranked[:k]]
    assert pruned >= 4


async def test_a_seeded_mentee_gets_the_same_over_http(app: Starlette, anon: Client) -> None:
    await seed_synthetic(mentors=120, mentees=10, seed=12, now=NOW)
    await give_answer_histories(seed=12)
    profile = await MenteeProfile.filter(is_complete=True).order_by("id").first()
    assert profile is not None
    user = await User.get(id=profile.user_id)
    await User.filter(id=user.id).update(password_hash=FAST_HASHER.hash("seeded password"))
    login = (await anon.op("Login", email=user.email, password="seeded password")).data["login"]
    viewer = anon.signed_in(login["token"], login["user"]["id"])

    suggested = (await viewer.op("MentorSuggestions", first=10)).data["mentorSuggestions"]

    assert len(suggested) == 10
    scores = [s["score"] for s in suggested]
    assert scores == sorted(scores, reverse=True)
    for suggestion in suggested:
        assert suggestion["score"] == sum(r["points"] for r in suggestion["reasons"])
        match = (await viewer.op("MatchScore", mentorId=suggestion["mentor"]["id"])).data
        assert match["matchScore"]["score"] == suggestion["score"]
        assert match["matchScore"]["eligible"] is True
        assert match["matchScore"]["reasons"] == suggestion["reasons"]


FLAT_LANGUAGES = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr", "hi", "zh", "ja", "ar"]


async def test_top_k_stays_exact_for_flat_mentees_and_polyglot_mentors(app: Starlette) -> None:
    """Mentees with one topic and many languages tie near the top, and the bound on shared
    languages follows the mentor who lists the most: a few who speak every language win,
    though they share neither industry nor field of study with anyone."""
    await seed_synthetic(mentors=250, mentees=30, seed=13, now=NOW)
    await give_answer_histories(seed=13)
    mentors = await MentorProfile.filter(is_complete=True).order_by("id").limit(60)
    polyglots = [m.id for m in mentors[::20]]
    # Sharing no industry or field of study with anyone: only their languages lift them.
    await MentorProfile.filter(id__in=polyglots).update(
        languages=FLAT_LANGUAGES, industry="Translation", field_of_study="Linguistics"
    )
    mentees = await MenteeProfile.filter(is_complete=True).order_by("id").limit(4)
    await MenteeProfile.filter(id__in=[m.id for m in mentees]).update(
        topics=["CAREER_PLANNING"], languages=FLAT_LANGUAGES
    )
    complete = MentorProfile.filter(is_complete=True).order_by("id")
    mentor_ids = [str(i) for i in await complete.values_list("id", flat=True)]

    for profile in mentees:
        user = await User.get(id=profile.user_id)
        matches = [
            await discovery.match_score(user, mentor_id, now=NOW) for mentor_id in mentor_ids
        ]
        ranked = sorted((m for m in matches if m.eligible), key=lambda m: (-m.score, m.mentor.id))
        for k in (1, 10, 50):
            best = await discovery.mentor_suggestions(user, k, now=NOW)
            assert [(m.mentor.id, m.score) for m in best] == [
                (m.mentor.id, m.score) for m in ranked[:k]
            ]
        top = {m.mentor.id for m in ranked[:3]}
        assert top & set(polyglots), "a mentor who speaks all 13 languages must rank first"
