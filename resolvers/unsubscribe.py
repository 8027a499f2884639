"""One-click unsubscribe: a signed, expiring link per e-mail that switches its kind off.

The token names the member, the switch, and a digest of the member's e-mail
address, signed (HS256, as bearer tokens are) with a key derived from
SECRET_KEY for this purpose alone, so that neither kind of token passes for
the other. It works without signing in (RFC 8058: a mail program POSTs to
the link), and only for what it names: a token changed in any way, expired,
or whose member is gone or now has another address (a deleted account's id
given to someone new) is refused, and nothing changes.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

import jwt

from orm import notification_settings as setting_rows
from orm.models import User
from orm.vocabulary import Locale, NotificationSetting
from resolvers.clock import Clock, system_clock

ALGORITHM = "HS256"
AUDIENCE = "unsubscribe"
# Long enough for an e-mail read weeks later; a link older than this is refused.
DEFAULT_LINK_TTL = timedelta(days=60)
# Longer is no token of ours: refused before it is parsed.
MAX_TOKEN_LENGTH = 1024


def _address_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Unsubscribe:
    """What a verified link asks: this member's switch off."""

    user: User
    setting: NotificationSetting

    @property
    def locale(self) -> Locale:
        return Locale(self.user.locale)


class UnsubscribeLinks:
    def __init__(
        self, secret_key: str, clock: Clock = system_clock, ttl: timedelta = DEFAULT_LINK_TTL
    ) -> None:
        self._key = hmac.new(secret_key.encode(), b"unsubscribe links", hashlib.sha256).digest()
        self.clock = clock
        self.ttl = ttl

    def token(self, user_id: int, email: str, setting: NotificationSetting) -> str:
        payload = {
            "aud": AUDIENCE,
            "sub": str(user_id),
            "set": setting.value,
            "adr": _address_digest(email),
            "exp": int((self.clock() + self.ttl).timestamp()),
        }
        return jwt.encode(payload, self._key, algorithm=ALGORITHM)

    async def verify(self, token: str) -> Unsubscribe | None:
        """What the token asks, if it is ours, unexpired, and its member still the same."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                options={"require": ["sub", "set", "adr", "exp"], "verify_exp": False},
            )
            user_id = int(claims["sub"])
            setting = NotificationSetting(claims["set"])
            expires_at = float(claims["exp"])
        except (jwt.InvalidTokenError, ValueError, TypeError, OverflowError):
            return None
        if expires_at <= self.clock().timestamp():
            return None
        user = await User.get_or_none(id=user_id)
        if user is None or not hmac.compare_digest(_address_digest(user.email), claims["adr"]):
            return None
        return Unsubscribe(user, setting)


async def switch_off(request: Unsubscribe) -> None:
    await setting_rows.change(request.user.id, {request.setting: False})
