"""Log lines carry no query-string values: a URL can hold a password.

uvicorn logs every request's path with its query string (the access log,
and "WebSocket ... [accepted]" lines). A GraphQL GET carries the operation
and its variables there: `GET /graphql?query=mutation{login(password:...)}`
is refused with 405, but its line would still hold the password. Every
value but `operationName` is logged as `[redacted]`; GraphQL's parameter
names stay, so a line still says what was asked, and anything else in the
query string is redacted whole.

The app installs the filter on uvicorn's loggers when it is created, so it
holds however the app is served: `python -m app serve`, `uvicorn app:app`,
with or without `--log-config` (uvicorn configures logging before it
imports the app) and in every worker process.
"""

from __future__ import annotations

import logging

REDACTED = "[redacted]"
# Parameter names logged as they are (GraphQL over HTTP's); any other part of
# a query string, name and value, could be anything and is redacted whole.
KNOWN_NAMES = frozenset({"query", "variables", "operationName", "extensions"})
# Values worth keeping in a log line: they name the operation, and hold no data.
KEPT_VALUES = frozenset({"operationName"})
# The loggers uvicorn writes URLs to.
URL_LOGGERS = ("uvicorn.access", "uvicorn.error")


def redact_query(path: str) -> str:
    """`/graphql?query=...&operationName=Op` -> `/graphql?query=[redacted]&operationName=Op`."""
    base, separator, query = path.partition("?")
    if not separator:
        return path
    parts = []
    for part in query.split("&"):
        name, has_value, value = part.partition("=")
        if name not in KNOWN_NAMES or not has_value:
            parts.append(REDACTED)
        else:
            parts.append(f"{name}={value if name in KEPT_VALUES else REDACTED}")
    return f"{base}?{'&'.join(parts)}"


def _redacted(argument: object) -> object:
    if isinstance(argument, str) and argument.startswith("/") and "?" in argument:
        return redact_query(argument)
    return argument


class RedactQueryValues(logging.Filter):
    """Redacts the query string of any path among a record's arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(argument) for argument in record.args)
        return True


def install() -> None:
    """Put the filter on uvicorn's loggers, once per process."""
    for name in URL_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactQueryValues) for existing in logger.filters):
            logger.addFilter(RedactQueryValues())
