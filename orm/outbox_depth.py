"""How many e-mails wait in the outbox, and how many failed: what operators alert on."""

from __future__ import annotations

from orm.sql import Params, connection, dialect_of, fetch
from orm.vocabulary import DeliveryStatus

# The states worth a gauge: the queue, and the two ends that need a look.
WATCHED = (DeliveryStatus.PENDING, DeliveryStatus.FAILED, DeliveryStatus.DEAD)


async def counts() -> dict[DeliveryStatus, int]:
    """Rows per watched status (0 for a status with none); sent and skipped rows are not read."""
    db = connection()
    params = Params(dialect_of(db))
    sql = (
        "SELECT status, COUNT(*) AS n FROM notification"  # noqa: S608 - placeholders
        f" WHERE status IN ({params.add_all([status.value for status in WATCHED])})"
        " GROUP BY status"
    )
    found = {row["status"]: int(row["n"]) for row in await fetch(db, sql, params)}
    return {status: found.get(status.value, 0) for status in WATCHED}
