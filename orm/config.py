"""The Tortoise configuration, built from a database URL.

`TORTOISE_ORM` is what the `tortoise` command line reads (see pyproject.toml,
`[tool.tortoise]`), so `tortoise makemigrations` works from the project root.
"""

from __future__ import annotations

import os
from typing import Any

MODELS_MODULE = "orm.models"
MIGRATIONS_MODULE = "orm.migrations"
APP_LABEL = "models"
DEFAULT_DATABASE_URL = "sqlite://data/mentoring.sqlite3"


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": database_url},
        "apps": {
            APP_LABEL: {
                "models": [MODELS_MODULE],
                "migrations": MIGRATIONS_MODULE,
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
