"""Choosing the response media type from the client's Accept header."""

from __future__ import annotations

from functools import lru_cache

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
SUPPORTED = (GRAPHQL_RESPONSE_JSON, JSON)


def _ranges(accept: str) -> list[tuple[str, float]]:
    """(media range, quality) for each entry of an Accept header; malformed ones are skipped."""
    ranges: list[tuple[str, float]] = []
    for entry in accept.split(","):
        media_range, *parameters = (part.strip() for part in entry.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media_range and 0.0 <= quality <= 1.0:
            ranges.append((media_range.lower(), quality))
    return ranges


def _match(media_type: str, media_range: str) -> int | None:
    """How specifically `media_range` names `media_type` (2 exact, 1 type/*, 0 */*)."""
    if media_range == media_type:
        return 2
    if media_range == media_type.split("/")[0] + "/*":
        return 1
    if media_range == "*/*":
        return 0
    return None


# Clients send the same few Accept headers again and again.
@lru_cache(maxsize=256)
def negotiate(accept: str | None) -> str | None:
    """The media type to answer with, or None when the client accepts neither.

    No header means `application/json`. Wildcards also get `application/json`,
    which every client understands; `application/graphql-response+json` needs
    to be named, and wins over `application/json` at equal quality.
    """
    if not accept or not accept.strip():
        return JSON
    ranges = _ranges(accept)
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for preference, media_type in enumerate(reversed(SUPPORTED)):
        # The most specific range that names a type sets its quality (RFC 9110).
        matches = [
            (specificity, quality)
            for media_range, quality in ranges
            if (specificity := _match(media_type, media_range)) is not None
        ]
        if not matches:
            continue
        specificity, quality = max(matches)
        if quality == 0.0:
            continue
        named = media_type == JSON or specificity == 2
        rank = (quality, specificity, preference if named else -1)
        if best is None or rank > best:
            best, chosen = rank, media_type
    return chosen
