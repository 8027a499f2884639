"""Each member's secret calendar feed: its URL, its reset, and reading it.

The URL is `PUBLIC_URL/calendar/<token>.ics`. The token is an HMAC of a
random nonce under the service's secret key: the member can read their URL
again, while the database holds only the nonce and the token's SHA-256, so
a copy of it opens no feed. Reset draws a new nonce: the old URL answers
404 at once. A feed is found by its token's hash, and read at most
`POLICIES.calendar_feed_reads` times an hour.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson

from orm import calendar_feeds as rows
from orm import meetings
from orm.models import CalendarFeed, User
from resolvers.account_settings import locale_of
from resolvers.language import Language
from resolvers.ratelimit import POLICIES, RateLimiter, hit_for_user

PATH_PREFIX = "/calendar/"
SUFFIX = ".ics"
# Meetings older than this leave the feed; calendars keep what they saw.
HISTORY = timedelta(days=90)
# A token: 32 bytes of HMAC-SHA256, base64url without padding.
TOKEN_LENGTH = 43


@dataclass(frozen=True)
class CalendarFeeds:
    """How feed tokens are made and where feeds are served; one per process."""

    secret_key: str
    public_url: str

    def token(self, nonce: str) -> str:
        mac = hmac.new(self.secret_key.encode(), f"calendar-feed:{nonce}".encode(), "sha256")
        return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")

    def url(self, feed: CalendarFeed) -> str:
        return f"{self.public_url.rstrip('/')}{PATH_PREFIX}{self.token(feed.nonce)}{SUFFIX}"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def fresh(self) -> tuple[str, str]:
        """A new nonce, and the hash of the token it makes."""
        nonce = secrets.token_urlsafe(32)
        return nonce, self.digest(self.token(nonce))


async def calendar_feed_url(viewer: User, feeds: CalendarFeeds, *, now: datetime) -> str:
    """The viewer's feed URL; the feed is made on first asking."""
    feed = await rows.of_user(viewer.id)
    if feed is None:
        nonce, token_hash = feeds.fresh()
        feed = await rows.create(viewer.id, nonce=nonce, token_hash=token_hash, at=now)
    return feeds.url(feed)


async def reset_calendar_feed(
    viewer: User, feeds: CalendarFeeds, limiter: RateLimiter, *, now: datetime
) -> str:
    """A new URL for the viewer's feed; the old one stops working at once."""
    await hit_for_user(limiter, POLICIES.calendar_feed_resets_per_user, viewer.id)
    nonce, token_hash = feeds.fresh()
    return feeds.url(await rows.replace(viewer.id, nonce=nonce, token_hash=token_hash, at=now))


@dataclass(frozen=True)
class FeedContent:
    """What a feed shows now, in its member's language, and its entity tag: a hash of that."""

    user_id: int
    meetings: list[dict[str, Any]]
    etag: str
    language: Language


async def feed_content(token: str, limiter: RateLimiter, *, now: datetime) -> FeedContent | None:
    """The feed's meetings, or None when no feed has this token (never was, or was reset).

    Only the rows are read here (one query); the calendar is built from them
    only when the client does not hold this version already.
    """
    if len(token) != TOKEN_LENGTH:
        return None
    token_hash = CalendarFeeds.digest(token)
    feed = await rows.by_token_hash(token_hash)
    if feed is None:
        return None
    await limiter.hit(POLICIES.calendar_feed_reads, token_hash)
    shown = await meetings.for_feed(feed.user_id, now - HISTORY)
    # Calendar apps send no Accept-Language worth reading: the member's locale decides.
    language = Language(locale_of(feed.user).value.lower())
    fingerprint = orjson.dumps([feed.user_id, language.value, shown])
    etag = '"' + hashlib.sha256(fingerprint).hexdigest()[:32] + '"'
    return FeedContent(feed.user_id, shown, etag, language)
