"""The PostgreSQL pool settings reach asyncpg, and the URL overrides them; what a connection
given back to the pool keeps."""

from __future__ import annotations

import ast
import asyncio
import re

import asyncpg  # type: ignore[import-untyped]
import pytest

from orm.config import POSTGRES_POOL_DEFAULTS, connection_config, keep_session
from orm.database import open_database
from tests.support import ROOT

pytestmark = pytest.mark.services


def test_every_default_applies_unless_the_url_sets_its_own() -> None:
    config = connection_config("postgres://app@db:5432/mentoring?maxsize=25&command_timeout=7")

    assert isinstance(config, dict)
    credentials = config["credentials"]
    assert credentials["maxsize"] == 25
    assert credentials["command_timeout"] == 7.0
    for name in ("minsize", "timeout", "max_inactive_connection_lifetime"):
        assert credentials[name] == POSTGRES_POOL_DEFAULTS[name]


async def test_a_statement_over_the_command_timeout_fails_instead_of_hanging(
    postgres_url: str,
) -> None:
    async with open_database(f"{postgres_url}?command_timeout=0.5") as ctx:
        with pytest.raises(asyncio.TimeoutError):
            await ctx.db().execute_query("SELECT pg_sleep(5)")
        # The pool serves the next statement as usual.
        assert await ctx.db().execute_query_dict("SELECT 1 AS one") == [{"one": 1}]


async def test_a_connection_given_back_gets_no_reset_query(postgres_url: str) -> None:
    probe = "SELECT 'pool probe' AS probe"
    async with open_database(postgres_url) as ctx:
        assert await ctx.db().execute_query_dict(probe) == [{"probe": "pool probe"}]
        admin = await asyncpg.connect(postgres_url, timeout=5)
        try:
            # Each backend's last statement: the probe, not a reset after it.
            last = await admin.fetch(
                "SELECT query FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        finally:
            await admin.close()
    statements = [row["query"] for row in last]
    assert probe in statements
    assert not any("pg_advisory_unlock_all" in statement for statement in statements)


async def test_a_transaction_given_back_unfinished_is_still_rolled_back(postgres_url: str) -> None:
    # The pool the service configures, one connection, so that both uses get the same.
    pool = await asyncpg.create_pool(postgres_url, min_size=1, max_size=1, reset=keep_session)
    try:
        async with pool.acquire() as connection:
            await connection.execute("BEGIN")
            await connection.execute("CREATE TEMPORARY TABLE left_open (id int)")
        async with pool.acquire() as connection:
            assert not connection.is_in_transaction()
            assert await connection.fetchval("SELECT to_regclass('pg_temp.left_open')") is None
    finally:
        await pool.close()


# Session state a pooled connection would carry to the next request now that
# it is not reset (orm.config.keep_session): session settings, listening,
# cursors held past their transaction, session advisory locks.
SESSION_STATE = re.compile(
    # A statement (not an UPDATE's SET clause) that sets a setting for the session.
    r"(?:^|;)\s*SET\s+(?:SESSION\s+)?(?i:work_mem|statement_timeout|lock_timeout|search_path"
    r"|session_authorization|time\s+zone|timezone|jit\w*|enable_\w+|random_page_cost"
    r"|default_statistics_target|synchronous_commit|application_name)\b"
    r"|\bLISTEN\s|\bWITH\s+HOLD\b|\bset_config\s*\(|\bpg_advisory_lock\s*\(",
    re.MULTILINE,
)


def _strings(source: str) -> list[str]:
    """The string constants of a module that are not docstrings: where its SQL is."""
    tree = ast.parse(source)
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_code_leaves_session_state_on_a_pooled_connection() -> None:
    found = []
    for folder in ("orm", "resolvers", "schema"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.relative_to(ROOT).as_posix() == "orm/migration_lock.py":
                continue  # its own connection, closed after the lock
            for text in _strings(path.read_text()):
                found += [f"{path}: {match.group(0)}" for match in SESSION_STATE.finditer(text)]
    assert found == [], "use SET LOCAL inside a transaction, or a connection of its own"
