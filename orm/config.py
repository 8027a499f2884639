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

# PostgreSQL connection pool of ONE process (see the README, "Running several
# processes"): processes x maxsize must stay below the server's
# max_connections. The URL's own query (`?maxsize=20&command_timeout=10`)
# overrides any of them.
POSTGRES_POOL_DEFAULTS: dict[str, Any] = {
    "minsize": 1,
    "maxsize": 10,
    # Seconds to open a connection, and for one statement, before failing:
    # a database that stopped answering gives errors, not hung requests.
    "timeout": 5,
    "command_timeout": 30.0,
    # Idle connections are closed after this many seconds, so a quiet process
    # gives its share of max_connections back.
    "max_inactive_connection_lifetime": 300.0,
}


async def keep_session(connection: object) -> None:
    """The pool's reset of a connection given back: nothing beyond asyncpg's own.

    asyncpg always rolls back a transaction left open first. Its default
    reset then sends `SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL;`: one more round trip after every statement run outside a
    transaction, which doubled a read's round trips (MyRelationships: 4
    instead of 2) and cost the database server a quarter of its CPU per
    request. The service keeps no session state on pooled connections: no
    session SET (SET LOCAL, inside a transaction, instead), no LISTEN (live
    delivery goes through Redis), no cursor WITH HOLD, no session advisory
    lock (the migration lock has a connection of its own), as PgBouncer's
    transaction mode asks anyway; tests/scaleout/test_pool.py holds the code
    to it.
    """


def connection_config(database_url: str) -> str | dict[str, Any]:
    """Tortoise's connection settings for a URL, with this service's engine defaults.

    SQLite gets the engine whose transactions begin IMMEDIATE; PostgreSQL the
    pool settings above.
    """
    if database_url.startswith("sqlite://"):
        config: dict[str, Any] = expand_db_url(database_url)
        config["engine"] = SQLITE_ENGINE
        return config
    if database_url.startswith(("postgres://", "postgresql://")):
        config = expand_db_url(database_url)
        credentials: dict[str, Any] = config["credentials"]
        for name, value in POSTGRES_POOL_DEFAULTS.items():
            # Values from the URL arrive as text; asyncpg wants numbers.
            credentials[name] = type(value)(credentials.get(name, value))
        credentials["reset"] = keep_session
        return config
    return database_url


# The one connection every model uses.
DEFAULT_CONNECTION = "default"


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {DEFAULT_CONNECTION: connection_config(database_url)},
        "apps": {
            APP_LABEL: {
                "models": [MODELS_MODULE],
                "migrations": MIGRATIONS_MODULE,
                "default_connection": DEFAULT_CONNECTION,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
