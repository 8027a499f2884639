"""Migration 0010 counts each mentor's decided and quick answers from the relationships."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.context import TortoiseContext
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

from orm.config import APP_LABEL, tortoise_config

REQUESTED_AT = "2026-03-01 08:00:00+00:00"
# (status, responded_at): answered after 2 h and 47 h 59 min (quick), after
# 48 h 1 min (slow), expired, withdrawn, still open.
RELATIONSHIPS = [
    ("ACCEPTED", "2026-03-01 10:00:00+00:00"),
    ("DECLINED", "2026-03-03 07:59:00+00:00"),
    ("ENDED", "2026-03-03 08:01:00+00:00"),
    ("EXPIRED", None),
    ("WITHDRAWN", None),
    ("REQUESTED", None),
]


# The statements are the test's own constants: no value comes from outside.
async def _people(db: BaseDBAsyncClient, mentees: int) -> None:
    execute = db.execute_query
    for index in range(mentees + 1):
        await execute(
            'INSERT INTO "user" (email, display_name, password_hash, created_at, locale) '  # noqa: S608
            f"VALUES ('p{index}@example.org', 'P', 'x', '2026-01-01 00:00:00+00:00', 'EN')"
        )
    await execute(
        "INSERT INTO mentor_profile (languages, topics, channels, contact_links, is_complete,"
        " created_at, updated_at, accepting_mentees, mentee_count, user_id) VALUES"
        " ('[]', '[]', '[]', '[]', TRUE, '2026-01-01 00:00:00+00:00',"
        " '2026-01-01 00:00:00+00:00', TRUE, 0, 1)"
    )
    for index in range(mentees):
        await execute(
            "INSERT INTO mentee_profile (languages, topics, channels, contact_links, is_complete,"  # noqa: S608
            " created_at, updated_at, user_id) VALUES ('[]', '[]', '[]', '[]', TRUE,"
            f" '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', {index + 2})"
        )


async def test_existing_answers_are_counted(database_url: str) -> None:
    config = tortoise_config(database_url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        executor = MigrationExecutor(ctx.db(), {APP_LABEL: config["apps"][APP_LABEL]})
        await executor.migrate([MigrationTarget(app_label=APP_LABEL, name="0009_working_together")])
        await _people(ctx.db(), len(RELATIONSHIPS))
        for mentee_id, (status, responded_at) in enumerate(RELATIONSHIPS, start=1):
            answered = f"'{responded_at}'" if responded_at else "NULL"
            await ctx.db().execute_query(
                "INSERT INTO relationship (mentor_id, mentee_id, status, request_topics,"  # noqa: S608
                " created_at, responded_at, updated_at) VALUES"
                f" (1, {mentee_id}, '{status}', '[]', '{REQUESTED_AT}', {answered},"
                f" '{REQUESTED_AT}')"
            )

        await executor.migrate([MigrationTarget(app_label=APP_LABEL, name="0010_responsiveness")])
        rows = await ctx.db().execute_query_dict(
            "SELECT requests_decided, answered_quickly FROM mentor_profile"
        )

    assert rows == [{"requests_decided": 4, "answered_quickly": 2}]
