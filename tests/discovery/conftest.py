from __future__ import annotations

from datetime import UTC, datetime

import pytest
from starlette.applications import Starlette

from orm.seed import seed_synthetic

SEEDED_AT = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
async def seeded(app: Starlette) -> Starlette:
    """The app over 400 synthetic mentors and 40 mentees (about one in ten incomplete)."""
    await seed_synthetic(mentors=400, mentees=40, seed=7, now=SEEDED_AT)
    return app
