"""The ASGI app: settings, lifespan, routes, and the command line.

    python -m app serve [--host H] [--port P] [--demo-data]
    python -m app seed --mentors N --mentees M [--seed S] [--quiet] [--progress-every S]
    python -m app migrate [--quiet] [--progress-every S]
    python -m app rewrap-keys
    python -m app export-schema [--output schema.graphql]
    python -m app outbox [--failed]
    python -m app trusted-documents [--output trusted-documents.json] [--add-typename]
    python -m app grant-role EMAIL MODERATOR | revoke-role EMAIL MODERATOR
    python -m app stats

`uvicorn app:app` serves the same app configured from the environment.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import secrets
import sys
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from argon2 import PasswordHasher
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from orm import buffer_pool, health
from orm.binding import bound
from orm.checkpoints import checkpointing
from orm.config import DEFAULT_DATABASE_URL
from orm.database import apply_migrations, open_database, sqlite_path, with_engine_defaults
from orm.encryption import Keyring, KeyringError
from orm.key_store import FolderKeyStore, folder_of_url
from orm.member_keys import MessageKeys
from orm.private_files import FILE_MODE, private_folder, tighten
from orm.progress import DEFAULT_EVERY_S, Reporter, reporter
from orm.vocabulary import RoleName
from resolvers import erasure, events, settling
from resolvers.calendar_feed import CalendarFeeds
from resolvers.clock import Clock, system_clock
from resolvers.mail.letters import Letters
from resolvers.mail.server import parse_mail_from, parse_public_url, parse_smtp_url
from resolvers.mail.transports import FolderTransport, SmtpTransport, Transport
from resolvers.outbox_sender import OutboxSender
from resolvers.passwords import Passwords
from resolvers.persisted_documents import document_store_for
from resolvers.presence import Presence
from resolvers.ratelimit import RateLimiter, rate_limiter_for
from resolvers.tokens import DEFAULT_TOKEN_TTL, TokenIssuer
from resolvers.unsubscribe import UnsubscribeLinks
from schema import configured_schema
from schema import schema as default_schema
from schema.calendar_feed import serve_calendar_feed
from schema.core import access_log, log_format, metrics, observing, tracing
from schema.core.body_limit import BodySizeLimit
from schema.core.broadcasting import SupervisedBroadcast
from schema.core.context import Services
from schema.core.cross_origin import CrossOrigin, parse_allowed_origins
from schema.core.header_limit import MAX_HEADER_BYTES, HeaderSizeLimit
from schema.core.http import WEB, GraphQLView, internal_error
from schema.core.hub import BroadcastHub
from schema.core.limits import MAX_BODY_BYTES
from schema.core.log_format import RequestId
from schema.core.persisted import PersistedDocuments
from schema.core.security_headers import SecurityHeaders
from schema.core.service_metrics import (
    Sampler,
    connect_signals,
    metrics_endpoint,
    operation_names,
)
from schema.core.trusted_documents import TrustedDocuments, manifest_of, write_manifest
from schema.unsubscribe import unsubscribe_page

logger = logging.getLogger("mentoring")

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret
# The operations the project's own clients send (`trusted-documents` lists them).
CLIENT_OPERATIONS = Path(__file__).resolve().parent / "clients" / "operations.graphql"


class SettingsError(ValueError):
    """A setting from the environment that cannot be used: the start stops, naming it."""


TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "off"})
# What each URL setting may point at; anything else is refused at start.
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql")
BROADCAST_SCHEMES = ("memory", "redis", "rediss")
# HS256 wants a key at least as long as its 256-bit hash; a short one is guessable.
MIN_SECRET_KEY_LENGTH = 32


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    """A boolean setting: true/false, 1/0, yes/no, on/off in any case; anything else refused.

    A typo (`fasle`, `disabled`) must not leave a feature on that the
    operator meant to turn off.
    """
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingsError(f"{name}={raw!r} is not a boolean: use true/false, 1/0, yes/no or on/off")


def _url(env: Mapping[str, str], name: str, default: str, schemes: tuple[str, ...]) -> str:
    value = env.get(name, "").strip() or default
    scheme, separator, _ = value.partition("://")
    if not separator or scheme.lower() not in schemes:
        allowed = ", ".join(f"{scheme}://" for scheme in schemes)
        raise SettingsError(f"{name} must be a URL starting with one of {allowed}")
    return value


def _secret_key(env: Mapping[str, str]) -> str | None:
    value = env.get("SECRET_KEY", "").strip()
    if not value:
        return None
    if len(value) < MIN_SECRET_KEY_LENGTH:
        raise SettingsError(f"SECRET_KEY must have at least {MIN_SECRET_KEY_LENGTH} characters")
    return value


def _message_keys(env: Mapping[str, str]) -> str | None:
    value = env.get("MESSAGE_KEYS", "").strip()
    if not value:
        return None
    try:
        Keyring.parse(value)
    except KeyringError as error:
        raise SettingsError(f"MESSAGE_KEYS: {error}") from None
    return value


DEFAULT_MAIL_FROM = "Mentoring <no-reply@localhost>"
# The base of links in e-mails and of calendar feed URLs.
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def _parsed(env: Mapping[str, str], name: str, parse: Callable[[str], object]) -> str | None:
    """The variable's value if `parse` accepts it (None when unset); else the start stops."""
    value = env.get(name, "").strip()
    if not value:
        return None
    try:
        parse(value)
    except ValueError as error:
        raise SettingsError(f"{name} {error}") from None
    return value


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SettingsError(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


def _origins(env: Mapping[str, str]) -> tuple[str, ...]:
    try:
        return parse_allowed_origins(env.get("ALLOWED_ORIGINS", ""))
    except ValueError as error:
        raise SettingsError(f"ALLOWED_ORIGINS: {error}") from None


def _log_format(env: Mapping[str, str]) -> str | None:
    value = env.get("LOG_FORMAT", "").strip().lower()
    if not value:
        return None
    if value not in log_format.FORMATS:
        raise SettingsError(f"LOG_FORMAT={value!r}: use one of {', '.join(log_format.FORMATS)}")
    return value


def _metrics_token(env: Mapping[str, str]) -> str | None:
    value = env.get("METRICS_TOKEN", "").strip()
    if not value:
        return None
    if len(value) < metrics.MIN_TOKEN_LENGTH:
        raise SettingsError(
            f"METRICS_TOKEN must have at least {metrics.MIN_TOKEN_LENGTH} characters"
        )
    return value


def _traces(env: Mapping[str, str]) -> str | None:
    try:
        return tracing.exporter_name(env)
    except tracing.TracingSettingError as error:
        raise SettingsError(str(error)) from None


def _trusted_documents(env: Mapping[str, str]) -> TrustedDocuments | None:
    value = env.get("TRUSTED_DOCUMENTS", "").strip()
    if not value:
        return None
    try:
        return TrustedDocuments.load(Path(value))
    except ValueError as error:
        raise SettingsError(f"TRUSTED_DOCUMENTS: {error}") from None


@dataclass(frozen=True)
class Settings:
    """Configuration, read from the environment (see the README's table)."""

    database_url: str = DEFAULT_DATABASE_URL
    broadcast_url: str = "memory://"
    secret_key: str | None = None
    graphiql: bool = True
    introspection: bool = True
    field_suggestions: bool = True
    # Origins whose pages may call the API from a browser (CORS and the
    # WebSocket's Origin check), or ("*",); empty: the API's own origin only.
    allowed_origins: tuple[str, ...] = ()
    # The manifest of the only documents to run (by hash or exact text); None: any.
    trusted_documents: TrustedDocuments | None = None
    demo_data: bool = False
    # Tests pass a cheaper hasher; the default is argon2id's recommended profile.
    password_hasher: PasswordHasher = field(default_factory=PasswordHasher)
    # None: in memory, or in Redis when BROADCAST_URL is redis:// (tests pass their own).
    rate_limiter: RateLimiter | None = None
    # The service's one clock ("now" for requests, tokens, sweeps and seeding).
    # Tests pass a clock they advance, instead of waiting for requests to expire.
    clock: Clock = system_clock
    # How long a token (and its session) lasts. Tests that move their clock
    # through months pass a longer one.
    token_ttl: timedelta = DEFAULT_TOKEN_TTL
    # Seconds between sweeps that expire unanswered requests and complete
    # relationships past their end (reads also do it for what they show).
    sweep_interval: float = 60.0
    # Message encryption keys, `id:base64key,...` (the first encrypts); None:
    # one key derived from SECRET_KEY.
    message_keys: str | None = None
    # Where the members' message keys live (`file:///folder`); None: a `keys/`
    # folder beside the SQLite file (`data/keys/` for other databases).
    key_store_url: str | None = None
    # graphql-transport-ws: seconds to wait for `connection_init` (then 4408),
    # and operations one connection may run at once.
    connection_init_wait: float = 10.0
    max_subscriptions_per_connection: int = 20
    # WebSocket connections one client address may hold at once (per process).
    max_websockets_per_address: int = 20
    # A socket whose send does not complete in this many seconds is closed
    # (a client that stopped reading resumes with `after`).
    websocket_send_timeout: float = 10.0
    # Once started, the objects built so far (schema, ISO and time-zone
    # tables, ...) leave the garbage collector's passes: a full pass over them
    # paused live messaging for tens of milliseconds. Tests that start many
    # apps in one process turn it off.
    freeze_startup_heap: bool = True
    # Where e-mails go: an SMTP server (`smtp://` or `smtps://`, see
    # resolvers.mail.server); None: `.eml` files in `outbox/` beside the data.
    smtp_url: str | None = None
    mail_from: str = DEFAULT_MAIL_FROM
    # The service's address as people reach it: the base of the links in
    # e-mails and of calendar feed URLs.
    public_url: str = DEFAULT_PUBLIC_URL
    # Seconds the e-mail sender waits between looks at the outbox when idle,
    # and between writes of who was online (the digests' presence).
    outbox_interval: float = 1.0
    presence_interval: float = 30.0
    # Log lines: "json" (one object a line) or "text"; None leaves logging as
    # the server set it up (readable text).
    log_format: str | None = None
    # The bearer token `/metrics` asks for; None: no metrics, nothing counted.
    metrics_token: str | None = None
    # Seconds between samples of the database pool and the outbox (each
    # scrape also samples).
    metrics_interval: float = 15.0
    # The OpenTelemetry exporter the OTEL_* variables ask for; None: no traces.
    traces: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, **overrides: Any) -> Settings:
        """The settings the environment gives; SettingsError names the first bad one."""
        values: dict[str, Any] = {
            "database_url": _url(env, "DATABASE_URL", DEFAULT_DATABASE_URL, DATABASE_SCHEMES),
            "broadcast_url": _url(env, "BROADCAST_URL", "memory://", BROADCAST_SCHEMES),
            "secret_key": _secret_key(env),
            "message_keys": _message_keys(env),
            "key_store_url": _parsed(env, "KEY_STORE_URL", folder_of_url),
            "graphiql": _flag(env, "GRAPHIQL", default=True),
            "introspection": _flag(env, "INTROSPECTION", default=True),
            "field_suggestions": _flag(env, "FIELD_SUGGESTIONS", default=True),
            "max_websockets_per_address": _count(env, "MAX_WEBSOCKETS_PER_ADDRESS", 20),
            "smtp_url": _parsed(env, "SMTP_URL", parse_smtp_url),
            "mail_from": _parsed(env, "MAIL_FROM", parse_mail_from) or DEFAULT_MAIL_FROM,
            "public_url": _parsed(env, "PUBLIC_URL", parse_public_url) or DEFAULT_PUBLIC_URL,
            "allowed_origins": _origins(env),
            "trusted_documents": _trusted_documents(env),
            "log_format": _log_format(env),
            "metrics_token": _metrics_token(env),
            "traces": _traces(env),
        }
        return cls(**{**values, **overrides})

    def data_directory(self) -> Path:
        """Where generated state (the secret key) lives: beside the SQLite file."""
        path = sqlite_path(self.database_url)
        return path.parent if path is not None else Path("data")

    def key_store(self) -> FolderKeyStore:
        """KEY_STORE_URL's folder, else `keys/` beside the data: never inside the database."""
        if self.key_store_url:
            return FolderKeyStore(folder_of_url(self.key_store_url))
        return FolderKeyStore(self.data_directory() / "keys")

    def mail_transport(self) -> Transport:
        """SMTP_URL's server, else the `outbox/` folder beside the data."""
        if self.smtp_url:
            return SmtpTransport(parse_smtp_url(self.smtp_url))
        return FolderTransport(self.data_directory() / "outbox")


def load_or_create_secret_key(directory: Path) -> str:
    """The data directory's key, created once; concurrent first starts agree on one.

    Stored beside the database, the key protects nothing from whoever copies
    the folder (or its backups): production sets SECRET_KEY and MESSAGE_KEYS.
    """
    private_folder(directory)
    path = directory / SECRET_KEY_FILE
    logger.warning(
        "SECRET_KEY is read from %s, beside the database: whoever copies that folder or its"
        " backups can sign tokens and, without MESSAGE_KEYS, read every message. In production"
        " set SECRET_KEY and MESSAGE_KEYS in the environment (see the README).",
        path,
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        tighten(path)
        return path.read_text().strip()
    os.fchmod(descriptor, FILE_MODE)
    with os.fdopen(descriptor, "w") as handle:
        key = secrets.token_urlsafe(48)
        handle.write(key)
    logger.info("Generated a new SECRET_KEY in %s", path)
    return key


def message_keyring(settings: Settings, secret_key: str) -> Keyring:
    """MESSAGE_KEYS when set, else one key derived from the secret key."""
    if settings.message_keys:
        return Keyring.parse(settings.message_keys)
    return Keyring.from_secret(secret_key)


def member_message_keys(settings: Settings, secret_key: str) -> MessageKeys:
    """The members' data keys, in the configured key store, wrapped by the keyring."""
    return MessageKeys(message_keyring(settings, secret_key), settings.key_store())


class BindDatabase:
    """Makes the database opened by the lifespan visible to each connection."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        tortoise = getattr(scope["app"].state, "tortoise", None) if "app" in scope else None
        if scope["type"] not in ("http", "websocket") or tortoise is None:
            await self.app(scope, receive, send)
            return
        with bound(tortoise):
            await self.app(scope, receive, send)


class DirectRoute:
    """Hands GET and POST requests for one path straight to its ASGI endpoint.

    The GraphQL view needs neither Starlette's router nor its exception
    middleware: it answers every refusal itself, and an unexpected exception
    still reaches the outermost error middleware (generic 500, logged).
    Skipping both took `{ __typename }` from 142 % to 170 % of the in-memory
    Strawberry app's rate (bench.http's pair, this machine). Other methods
    and paths take the router, as before.
    """

    def __init__(self, app: ASGIApp, path: str, endpoint: ASGIApp) -> None:
        self.app = app
        self.path = path
        self.endpoint = endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        direct = (
            scope["type"] == "http"
            and scope["path"] == self.path
            and scope["method"] in ("GET", "POST")
        )
        await (self.endpoint if direct else self.app)(scope, receive, send)


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


async def demo_without_slash(request: Request) -> Response:
    # Relative: a Location built from the request's Host header would send
    # the browser wherever that header says.
    return RedirectResponse("/demo/", status_code=307)


async def readyz(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    problems = await health.problems(settings.broadcast_url)
    broadcast: SupervisedBroadcast | None = getattr(request.app.state, "broadcast", None)
    if broadcast is not None and not broadcast.connected and "broadcast" not in problems:
        problems.append("broadcast")  # Redis answers, but the subscriptions are not back yet
    if problems:
        return PlainTextResponse("not ready: " + ", ".join(problems), status_code=503)
    return PlainTextResponse("ready")


def _outbox_sender(settings: Settings, links: UnsubscribeLinks) -> OutboxSender:
    sender = parse_mail_from(settings.mail_from)
    letters = Letters(sender, parse_public_url(settings.public_url), links)
    return OutboxSender(
        settings.mail_transport(), letters, settings.clock, interval=settings.outbox_interval
    )


async def _sweep_and_publish(
    clock: Clock, hub: BroadcastHub, presence: Presence, sender: OutboxSender
) -> None:
    # Who was online counts for the digests the sweep schedules.
    await presence.flush()
    await events.publish_transitions(hub, await settling.sweep(clock))
    sender.wake()


def _checkpointing(database_url: str) -> AbstractAsyncContextManager[None]:
    path = sqlite_path(database_url)
    return checkpointing(path) if path is not None else nullcontext()


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    if settings.log_format is not None:
        log_format.configure(settings.log_format)
    access_log.install()
    names = operation_names(CLIENT_OPERATIONS)
    observing.set_operations(names, logged=settings.log_format is not None)
    watched = metrics.enable(names) if settings.metrics_token else None
    sampler = Sampler(watched) if watched is not None else None
    if watched is not None:
        connect_signals(watched)
    provider = tracing.provider_from_env(settings.traces, os.environ) if settings.traces else None
    if provider is not None:
        tracing.install(provider)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        secret_key = settings.secret_key or load_or_create_secret_key(settings.data_directory())
        keys = member_message_keys(settings, secret_key)
        observing.set_user_key(secret_key)
        async with (
            open_database(
                settings.database_url, keyring=keys.keyring, member_keys=keys
            ) as tortoise,
            _checkpointing(settings.database_url),
        ):
            # An erasure stopped between its commit and its key's destruction ends here.
            await erasure.destroy_erased_keys(keys)
            if (advice := await buffer_pool.advice()) is not None:
                logger.warning(advice)
            if settings.demo_data:
                from orm.seed import DEMO_PASSWORD, seed_demo_if_empty

                passwords = Passwords(settings.password_hasher)
                await seed_demo_if_empty(
                    await passwords.hash(DEMO_PASSWORD), keys, now=settings.clock()
                )
            async with SupervisedBroadcast(settings.broadcast_url) as broadcast:
                rate_limiter = settings.rate_limiter
                if rate_limiter is None:
                    rate_limiter = rate_limiter_for(settings.broadcast_url)
                persisted = PersistedDocuments(
                    document_store_for(settings.broadcast_url),
                    settings.trusted_documents,
                    rate_limiter,
                )
                hub = BroadcastHub(broadcast)
                presence = Presence(settings.clock, hub)
                app.state.presence = presence
                # After a broadcast outage every subscription re-reads what it missed.
                broadcast.on_reconnect(hub.wake_all)
                if watched is not None:
                    broadcast.on_reconnect(watched.reconnected)
                app.state.tortoise = tortoise
                app.state.broadcast = broadcast
                app.state.services = Services(
                    message_keys=keys,
                    hub=hub,
                    tokens=TokenIssuer(secret_key, settings.token_ttl, settings.clock),
                    passwords=Passwords(settings.password_hasher),
                    broadcast=broadcast,
                    rate_limiter=rate_limiter,
                    calendar_feeds=CalendarFeeds(secret_key, settings.public_url),
                    clock=settings.clock,
                    presence=presence,
                    persisted=persisted,
                )
                links = UnsubscribeLinks(secret_key, settings.clock)
                app.state.unsubscribe_links = links
                app.state.outbox_sender = outbox_sender = _outbox_sender(settings, links)
                app.state.service_name = outbox_sender.letters.service
                sweeper = asyncio.create_task(
                    settling.run_periodically(
                        settings.sweep_interval,
                        lambda: _sweep_and_publish(settings.clock, hub, presence, outbox_sender),
                    )
                )
                sending = asyncio.create_task(outbox_sender.run())
                noting = asyncio.create_task(presence.run(settings.presence_interval))
                background = [sweeper, sending, noting]
                if sampler is not None:
                    background.append(asyncio.create_task(sampler.run(settings.metrics_interval)))
                if settings.freeze_startup_heap:
                    gc.collect()
                    gc.freeze()
                try:
                    yield
                finally:
                    for task in background:
                        task.cancel()
                        with suppress(asyncio.CancelledError):
                            await task
                    await hub.close()
                    await persisted.close()
                    app.state.tortoise = None
                    if settings.rate_limiter is None:
                        await rate_limiter.close()
                    if watched is not None:
                        watched.process_ended()
                    if provider is not None:
                        provider.shutdown()

    schema = configured_schema(
        introspection=settings.introspection, field_suggestions=settings.field_suggestions
    )
    view = GraphQLView(
        schema,
        graphql_ide="graphiql" if settings.graphiql else None,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        keep_alive=True,
        keep_alive_interval=15,
        connection_init_wait_timeout=timedelta(seconds=settings.connection_init_wait),
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
        max_connections_per_address=settings.max_websockets_per_address,
        send_timeout=settings.websocket_send_timeout,
        allowed_origins=settings.allowed_origins,
    )
    # Without allowed origins nothing is cross-origin: no middleware to pass through.
    cross_origin = (
        [Middleware(CrossOrigin, origins=settings.allowed_origins)]
        if settings.allowed_origins
        else []
    )
    # Without METRICS_TOKEN there is no /metrics at all (404).
    metrics_route = (
        [Route("/metrics", metrics_endpoint(watched, settings.metrics_token, sampler))]
        if watched is not None and sampler is not None and settings.metrics_token
        else []
    )
    app = Starlette(
        routes=[
            *metrics_route,
            Route("/graphql", view, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", view),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/calendar/{name}", serve_calendar_feed, methods=["GET"]),
            Route("/unsubscribe", unsubscribe_page, methods=["GET", "POST"]),
            Mount("/static", StaticFiles(directory=WEB / "static"), name="static"),
            Route("/demo", demo_without_slash),
            Mount("/demo", StaticFiles(directory=WEB / "demo", html=True), name="demo"),
        ],
        # Outermost first: a request meets them in this order.
        middleware=[
            # First: every later refusal and log line carries the request's id.
            Middleware(RequestId),
            Middleware(HeaderSizeLimit, max_bytes=MAX_HEADER_BYTES),
            # Before the other refusals, so that a page can read them too (413, ...).
            *cross_origin,
            Middleware(SecurityHeaders),
            Middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES),
            Middleware(BindDatabase),
            Middleware(DirectRoute, path="/graphql", endpoint=view),
        ],
        lifespan=lifespan,
        exception_handlers={Exception: internal_error},
    )
    # Starlette's slash redirects build an absolute URL from the Host header.
    app.router.redirect_slashes = False
    app.state.settings = settings
    return app


def _export_schema(output: Path) -> None:
    output.write_text(default_schema.as_str() + "\n")
    print(f"wrote {output}")


def _trusted_documents_manifest(operations: Path, output: Path, add_typename: bool) -> None:
    manifest = manifest_of(operations.read_text(encoding="utf-8"), add_typename=add_typename)
    write_manifest(manifest, output)
    print(f"wrote {output}: {len(manifest)} documents")


def _configured_keys(settings: Settings) -> MessageKeys:
    # Upgrades seal stored messages with the keys the service will use.
    secret_key = settings.secret_key or load_or_create_secret_key(settings.data_directory())
    return member_message_keys(settings, secret_key)


def _opened(settings: Settings) -> AbstractAsyncContextManager[Any]:
    keys = _configured_keys(settings)
    return open_database(settings.database_url, keyring=keys.keyring, member_keys=keys)


async def _migrate(settings: Settings, progress: Reporter) -> None:
    keys = _configured_keys(settings)
    started = time.monotonic()
    with progress:
        async with open_database(
            settings.database_url, migrate=False, keyring=keys.keyring, member_keys=keys
        ) as ctx:
            applied = await apply_migrations(
                ctx,
                with_engine_defaults(settings.database_url),
                keyring=keys.keyring,
                member_keys=keys,
                progress=progress,
            )
    print(
        f"applied {applied} migrations in {time.monotonic() - started:.1f} s;"
        f" database schema is current: {_without_password(settings.database_url)}"
    )


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


async def _rewrap_keys(settings: Settings) -> None:
    keys = _configured_keys(settings)
    rewrapped = await asyncio.to_thread(keys.rewrap_all)
    print(f"{rewrapped} member keys wrapped anew with the current message key")


async def _seed(
    settings: Settings, mentors: int, mentees: int, seed: int, progress: Reporter
) -> None:
    from orm.seed import seed_synthetic

    keys = _configured_keys(settings)
    with progress:
        async with open_database(
            settings.database_url, keyring=keys.keyring, member_keys=keys, progress=progress
        ):
            report = await seed_synthetic(
                mentors=mentors, mentees=mentees, seed=seed, now=settings.clock(), progress=progress
            )
    print(report)


async def _list_outbox(settings: Settings, failed: bool) -> None:
    from orm import outbox
    from orm.vocabulary import DeliveryStatus

    statuses = (DeliveryStatus.FAILED, DeliveryStatus.DEAD) if failed else (DeliveryStatus.PENDING,)
    async with _opened(settings):
        rows = await outbox.listing(statuses, limit=OUTBOX_LISTED)
    what = "failed or dead" if failed else "queued"
    print(
        f"{len(rows)} {what} e-mails"
        + (f" (the first {OUTBOX_LISTED})" if len(rows) == OUTBOX_LISTED else "")
    )
    for row in rows:
        print(
            f"{row.id}\t{row.status}\t{row.kind}\t{row.email}\tattempts={row.attempts}"
            f"\tcreated={row.created_at.isoformat()}\tdue={row.due_at.isoformat()}"
            + (f"\t{row.last_error}" if row.last_error else "")
        )


async def _change_role(settings: Settings, email: str, role: str, grant: bool) -> None:
    from orm import roles
    from orm.vocabulary import RoleName

    name = RoleName(role)
    async with _opened(settings):
        address = email.strip().lower()
        try:
            if grant:
                changed = await roles.grant(address, name, settings.clock())
            else:
                changed = await roles.revoke(address, name)
        except roles.NoSuchAccount:
            raise SystemExit(
                f"python -m app: no account has the e-mail address {address}"
            ) from None
    verb = "granted" if grant else "revoked"
    print(f"{name.value} {verb}: {address}" if changed else f"nothing to do: {address}")


async def _stats(settings: Settings) -> None:
    from dataclasses import asdict

    from orm.program_stats import program_stats

    async with _opened(settings):
        figures = await program_stats(settings.clock())
    for name, value in asdict(figures).items():
        print(f"{name}\t{'-' if value is None else value}")


OUTBOX_LISTED = 1000

# What `serve` lets uvicorn buffer of a request line and headers.
MAX_REQUEST_HEAD_BYTES = MAX_BODY_BYTES + MAX_HEADER_BYTES


def _refuse_demo_data_outside_sqlite(settings: Settings) -> None:
    """Demo accounts have a published password: a local trial only, never production."""
    if sqlite_path(settings.database_url) is None:
        raise SettingsError(
            "--demo-data creates accounts whose password is published; it runs on a local"
            " SQLite file only, never against DATABASE_URL's server"
        )
    logger.warning(
        "--demo-data: the demo accounts' password is published in the README; never use"
        " this database in production"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--demo-data", action="store_true", help="seed demo data into an empty database"
    )
    # What long commands show while they work (see orm.progress).
    showing = argparse.ArgumentParser(add_help=False)
    showing.add_argument("--quiet", action="store_true", help="no progress, only the final summary")
    showing.add_argument(
        "--progress-every",
        type=float,
        default=DEFAULT_EVERY_S,
        metavar="SECONDS",
        help="seconds between progress lines when not in a terminal",
    )
    seed = commands.add_parser("seed", help="bulk-insert synthetic profiles", parents=[showing])
    seed.add_argument("--mentors", type=int, default=1000)
    seed.add_argument("--mentees", type=int, default=100)
    seed.add_argument("--seed", type=int, default=1)
    commands.add_parser("migrate", help="bring the database schema up to date", parents=[showing])
    commands.add_parser(
        "rewrap-keys",
        help="wrap every member's message key with the current MESSAGE_KEYS key (after rotating)",
    )
    export = commands.add_parser("export-schema", help="write the schema in SDL")
    export.add_argument("--output", type=Path, default=Path("schema.graphql"))
    listing = commands.add_parser("outbox", help="list the e-mails waiting to be sent")
    listing.add_argument(
        "--failed", action="store_true", help="list those refused (FAILED) or given up (DEAD)"
    )
    trusted = commands.add_parser(
        "trusted-documents",
        help="write the manifest of the client operations (for TRUSTED_DOCUMENTS)",
    )
    trusted.add_argument("--output", type=Path, default=Path("trusted-documents.json"))
    trusted.add_argument("--operations", type=Path, default=CLIENT_OPERATIONS)
    trusted.add_argument(
        "--add-typename",
        action="store_true",
        help="as Apollo Client sends them: __typename in every selection set but the root",
    )
    for command, verb in (("grant-role", "give"), ("revoke-role", "take away")):
        changing = commands.add_parser(command, help=f"{verb} a member's role (MODERATOR)")
        changing.add_argument("email", help="the member's sign-in address")
        changing.add_argument("role", choices=[role.value for role in RoleName])
    commands.add_parser("stats", help="print the program's figures (as programStats)")
    args = parser.parse_args(argv)

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.command == "serve":
        import uvicorn

        settings = Settings.from_env(demo_data=args.demo_data)
        if settings.log_format is not None:
            log_format.configure(settings.log_format)
        if settings.demo_data:
            _refuse_demo_data_outside_sqlite(settings)
        uvicorn.run(
            create_app(settings),
            host=args.host,
            port=args.port,
            ws_max_size=MAX_BODY_BYTES,
            # h11, unlike httptools, bounds what it buffers before a request's
            # head is complete (a 64 MiB header held 66 MiB under httptools).
            # The head may carry a GET query as long as a POST body.
            http="h11",
            h11_max_incomplete_event_size=MAX_REQUEST_HEAD_BYTES,
            # LOG_FORMAT set: the app's handler writes uvicorn's lines too.
            log_config=None if settings.log_format else uvicorn.config.LOGGING_CONFIG,
        )
    elif args.command == "seed":
        progress = reporter(args.quiet, args.progress_every)
        asyncio.run(_seed(Settings.from_env(), args.mentors, args.mentees, args.seed, progress))
    elif args.command == "migrate":
        asyncio.run(_migrate(Settings.from_env(), reporter(args.quiet, args.progress_every)))
    elif args.command == "rewrap-keys":
        asyncio.run(_rewrap_keys(Settings.from_env()))
    elif args.command == "export-schema":
        _export_schema(args.output)
    elif args.command == "outbox":
        asyncio.run(_list_outbox(Settings.from_env(), args.failed))
    elif args.command == "trusted-documents":
        _trusted_documents_manifest(args.operations, args.output, args.add_typename)
    elif args.command in ("grant-role", "revoke-role"):
        grant = args.command == "grant-role"
        asyncio.run(_change_role(Settings.from_env(), args.email, args.role, grant))
    elif args.command == "stats":
        asyncio.run(_stats(Settings.from_env()))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except SettingsError as error:
        sys.exit(f"python -m app: configuration error: {error}")
else:
    # What `uvicorn app:app` serves. `python -m app` builds its own in `main`.
    app = create_app()
