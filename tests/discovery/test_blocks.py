"""Blocks are a hard filter of search and suggestions: the oracles, with blocks both ways."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from starlette.applications import Starlette

from orm.member_blocks import block
from orm.models import MenteeProfile, MentorProfile, User
from orm.seed import seed_synthetic
from resolvers import discovery
from tests.discovery.oracle import all_mentors, expected_ids
from tests.discovery.support import search_all
from tests.discovery.test_search_semantics import random_filter
from tests.support import FAST_HASHER, Client

NOW = datetime.now(UTC)
BLOCKED = "You or this mentor blocked the other."


async def _signed_in(anon: Client, user: User) -> Client:
    await User.filter(id=user.id).update(password_hash=FAST_HASHER.hash("seeded password"))
    login = (await anon.op("Login", email=user.email, password="seeded password")).data["login"]
    return anon.signed_in(login["token"], login["user"]["id"])


async def _block_both_ways(
    user: User, mentors: list[MentorProfile], rng: random.Random
) -> set[int]:
    """Block some mentors, be blocked by others: the mentor ids hidden from the user."""
    hidden = rng.sample(mentors, 30)
    for index, mentor in enumerate(hidden):
        if index % 2:
            await block(user.id, mentor.user_id, NOW)
        else:
            await block(mentor.user_id, user.id, NOW)
    return {mentor.id for mentor in hidden}


async def test_search_leaves_out_exactly_the_mentors_blocked_either_way(
    seeded: Starlette, anon: Client
) -> None:
    rng = random.Random(2026_20)
    profile = await MenteeProfile.filter(is_complete=True).order_by("id").first()
    assert profile is not None
    user = await User.get(id=profile.user_id)
    complete = list(await MentorProfile.filter(is_complete=True).order_by("id"))
    hidden = await _block_both_ways(user, complete, rng)
    viewer = await _signed_in(anon, user)
    mentors = await all_mentors()

    for _ in range(30):
        f = random_filter(rng)
        ids, total = await search_all(viewer, f, first=rng.choice((7, 100)))
        anonymous, _ = await search_all(anon, f)

        expected = [mentor_id for mentor_id in expected_ids(mentors, f) if mentor_id not in hidden]
        assert ids == expected, f
        assert total == len(expected), f
        assert anonymous == expected_ids(mentors, f), "blocks hide nothing from others"
    everyone, _ = await search_all(viewer, None)
    assert not hidden & set(everyone)


async def test_top_k_stays_exact_with_blocks_both_ways(app: Starlette) -> None:
    await seed_synthetic(mentors=250, mentees=30, seed=21, now=NOW)
    rng = random.Random(21)
    complete = list(await MentorProfile.filter(is_complete=True).order_by("id"))
    mentor_ids = [str(mentor.id) for mentor in complete]

    for profile in await MenteeProfile.filter(is_complete=True).order_by("id").limit(4):
        user = await User.get(id=profile.user_id)
        # The best mentors first, so that a block changes the top k.
        best = await discovery.mentor_suggestions(user, 10, now=NOW)
        best_profiles = [m for m in complete if m.id in {s.mentor.id for s in best[:5]}]
        hidden = await _block_both_ways(user, complete, rng) | {m.id for m in best_profiles}
        for index, mentor in enumerate(best_profiles):
            if index % 2:
                await block(user.id, mentor.user_id, NOW)
            else:
                await block(mentor.user_id, user.id, NOW)

        matches = [await discovery.match_score(user, key, now=NOW) for key in mentor_ids]
        for match in matches:
            if match.mentor.id in hidden:
                assert not match.eligible
                assert BLOCKED in [text.msgid for text in match.exclusions]
        ranked = sorted((m for m in matches if m.eligible), key=lambda m: (-m.score, m.mentor.id))
        for k in (1, 10, 50):
            suggested = await discovery.mentor_suggestions(user, k, now=NOW)
            assert [(m.mentor.id, m.score) for m in suggested] == [
                (m.mentor.id, m.score) for m in ranked[:k]
            ]
            assert not hidden & {m.mentor.id for m in suggested}
