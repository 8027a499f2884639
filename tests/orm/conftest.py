from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise.context import TortoiseContext, tortoise_test_context

from orm.config import MODELS_MODULE


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[TortoiseContext]:
    """A fresh SQLite file with the current models' tables."""
    async with tortoise_test_context(
        [MODELS_MODULE], db_url=f"sqlite://{tmp_path / 'orm.sqlite3'}"
    ) as ctx:
        yield ctx
