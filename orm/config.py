"""The Tortoise configuration, built from a database URL.

`TORTOISE_ORM` is what the `tortoise` command line reads (see pyproject.toml,
`[tool.tortoise]`), so `tortoise makemigrations` works from the project root.
"""

from __future__ import annotations

import os
from typing import Any

from tortoise.backends.base.config_generator import expand_db_url

MODELS_MODULE = "orm.models"
MIGRATIONS_MODULE = "orm.migrations"
APP_LABEL = "models"
DEFAULT_DATABASE_URL = "sqlite://data/mentoring.sqlite3"
SQLITE_ENGINE = "orm.sqlite_engine"


def connection_config(database_url: str) -> str | dict[str, Any]:
    """The URL, except that SQLite gets the engine whose transactions begin IMMEDIATE."""
    if not database_url.startswith("sqlite://"):
        return database_url
    config: dict[str, Any] = expand_db_url(database_url)
    config["engine"] = SQLITE_ENGINE
    return config


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(database_url)},
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
