"""Figures about the service as a whole, read when metrics are scraped or sampled."""

from __future__ import annotations

from dataclasses import dataclass

from orm import outbox_depth
from orm.compat_tortoise import connections_in_use
from orm.sql import connection
from orm.vocabulary import DeliveryStatus


@dataclass(frozen=True)
class Figures:
    # Database connections this process has lent out now.
    database_in_use: int
    # E-mails waiting (PENDING) and given up (FAILED, DEAD), in the shared database.
    outbox: dict[DeliveryStatus, int]


def database_in_use() -> int:
    return connections_in_use(connection())


async def figures() -> Figures:
    return Figures(database_in_use(), await outbox_depth.counts())
