"""GET /calendar/<token>.ics: a member's meetings for calendar apps, outside GraphQL.

Calendar apps subscribe to a URL and poll it without any token but the one
in the path (`resolvers.calendar_feed`). The answer carries an entity tag;
a poll that sends it back in If-None-Match gets 304 before the calendar is
built. An unknown or reset token is 404, a feed read too often 429.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from resolvers import calendar_feed, calendar_ics
from resolvers.calendar_feed import SUFFIX
from resolvers.errors import RateLimited
from schema.core.context import Services

MEDIA_TYPE = "text/calendar; charset=utf-8"
# Calendars poll anyway; shared caches must not keep a private feed.
CACHE_CONTROL = "private, no-cache"


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


async def serve_calendar_feed(request: Request) -> Response:
    name: str = request.path_params["name"]
    if not name.endswith(SUFFIX):
        return Response("Not Found", status_code=404, media_type="text/plain")
    services: Services = request.app.state.services
    try:
        content = await calendar_feed.feed_content(
            name.removesuffix(SUFFIX), services.rate_limiter, now=services.clock()
        )
    except RateLimited as limited:
        retry_after = str(limited.extensions["retryAfter"])
        return Response(
            "Too many requests", 429, {"Retry-After": retry_after}, media_type="text/plain"
        )
    if content is None:
        return Response("Not Found", status_code=404, media_type="text/plain")
    headers = {"ETag": content.etag, "Cache-Control": CACHE_CONTROL}
    if _matches(request.headers.get("if-none-match"), content.etag):
        return Response(status_code=304, headers=headers)
    body = calendar_ics.calendar_text(content, services.calendar_feeds.public_url)
    return Response(body, headers=headers, media_type=MEDIA_TYPE)
