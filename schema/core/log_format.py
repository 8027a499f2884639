"""Log lines a log pipeline can parse (LOG_FORMAT=json), and the request id every line carries.

With `json`, every line is one JSON object: `time`, `level`, `logger`,
`message`, and where known `request_id`, `operation`, `operation_type`,
`duration_ms`, `outcome` (OK or the first error's `extensions.code`) and
`user` (a keyed hash of the viewer's id, never the id: lines can be joined
per user, not traced back to one without the key). `text`, the default,
keeps the usual readable lines.

The request id is the client's `X-Request-ID` when it is a short token
(letters, digits, `-`, `_`, `.`, up to 64 characters), else a new one; the
answer carries it back in `X-Request-ID`. A WebSocket keeps its connection's
id for every operation on it.

Nothing secret may reach a line: the service never logs variables, bodies or
headers, uvicorn's lines have their query strings redacted
(`schema.core.access_log`), and as a last guard every line is scrubbed of
anything shaped like an e-mail address or a bearer token before it is written.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FORMATS = ("text", "json")
HEADER = "x-request-id"
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# What the last guard masks: e-mail addresses, JWTs and long opaque tokens.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_JWT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*")
_BEARER = re.compile(r"(?i)(bearer\s+)\S+")
# The fields a record may carry (`extra=`) that the JSON line writes out.
FIELDS = ("operation", "operation_type", "duration_ms", "outcome", "user")


def scrub(text: str) -> str:
    text = _EMAIL.sub("[email]", text)
    text = _JWT.sub("[token]", text)
    return _BEARER.sub(r"\1[token]", text)


def _given_id(raw: bytes | None) -> str:
    if raw is not None:
        value = raw.decode("latin-1")
        if _VALID_ID.fullmatch(value):
            return value
    return os.urandom(8).hex()


class RequestId:
    """Outermost middleware: the request's id, in the context and in the answer's headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        raw = next((value for name, value in scope["headers"] if name == b"x-request-id"), None)
        identifier = _given_id(raw)
        token = request_id.set(identifier)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = identifier
            await send(message)

        try:
            await self.app(scope, receive, send_with_id if scope["type"] == "http" else send)
        finally:
            request_id.reset(token)


class UserHash:
    """A user id as a keyed hash: the same for one user in every line, useless without the key."""

    def __init__(self, secret_key: str) -> None:
        self._key = hashlib.blake2b(secret_key.encode(), person=b"log-user-id").digest()

    def __call__(self, user_id: int) -> str:
        return hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()[:16]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        identifier = request_id.get()
        if identifier is not None:
            line["request_id"] = identifier
        for name in FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class ScrubbedText(logging.Formatter):
    """The readable format, with the same last guard and the request id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        text = scrub(super().format(record))
        identifier = request_id.get()
        return f"{text} [request {identifier}]" if identifier is not None else text


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# uvicorn's loggers: their lines go through the same handler as the app's.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def configure(log_format: str, level: int = logging.INFO) -> None:
    """One handler on the root logger, in `log_format`; uvicorn's loggers write through it."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else ScrubbedText(TEXT_FORMAT))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        for existing in list(logger.handlers):
            logger.removeHandler(existing)
        logger.propagate = True
