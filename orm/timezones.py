"""UTC offsets of IANA time zones, for scoring time-zone closeness in SQL.

Offsets change with daylight saving time, so they are taken at one instant:
the start of the UTC hour of the caller's `now`. A distance between two zones is therefore
the distance now, not all year round: Berlin and New York are 6 h apart most
of the year and 5 h for a few weeks around the switches, and scores follow.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones


def hour_of(now: datetime) -> datetime:
    """The start of `now`'s UTC hour: one instant per hour keeps the caches warm."""
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


@lru_cache(maxsize=4)
def offsets_at(instant: datetime) -> dict[str, int]:
    """Every IANA zone's UTC offset at `instant`, in minutes."""
    result: dict[str, int] = {}
    for name in sorted(available_timezones()):
        offset = instant.astimezone(ZoneInfo(name)).utcoffset() or timedelta()
        result[name] = int(offset.total_seconds()) // 60
    return result


def distance_minutes(first: str, second: str, instant: datetime) -> int | None:
    """How far apart two zones' clocks are at `instant`; None for an unknown zone."""
    offsets = offsets_at(instant)
    if first not in offsets or second not in offsets:
        return None
    return abs(offsets[first] - offsets[second])


# Asked twice per suggestion query, for the same few zones all hour long.
@lru_cache(maxsize=1024)
def zones_within(
    zone: str, tiers: tuple[tuple[int, int], ...], instant: datetime
) -> tuple[tuple[str, ...], ...]:
    """For each (max minutes apart, points) tier, closest first: the zones in it.

    A zone falls in the first tier whose distance it does not exceed; zones
    beyond the last tier are in none.
    """
    offsets = offsets_at(instant)
    groups: list[list[str]] = [[] for _ in tiers]
    if zone not in offsets:
        return tuple(tuple(group) for group in groups)
    for name, offset in offsets.items():
        apart = abs(offset - offsets[zone])
        for index, (limit, _) in enumerate(tiers):
            if apart <= limit:
                groups[index].append(name)
                break
    # Tuples: the cached answer is shared, so nobody may change it.
    return tuple(tuple(group) for group in groups)
