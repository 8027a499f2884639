"""Test helpers: a GraphQL client per role, the contract's operations, app setup."""

from __future__ import annotations

import asyncio
import atexit
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from graphql import OperationDefinitionNode, parse, print_ast
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app import Settings, create_app
from orm.database import open_database
from resolvers.ids import Kind, decode, global_id
from resolvers.ratelimit import NO_USAGE, Policy, Usage

ROOT = Path(__file__).resolve().parents[1]
# The operations this project serves, kept in the repository.
CLIENT_OPERATIONS = ROOT / "clients" / "operations.graphql"
# The shared API contract, beside the repository where the project is developed.
CONTRACT = ROOT.parent / "shared" / "contract" / "operations.graphql"

# Real argon2id, at its cheapest: the suite registers hundreds of users.
FAST_HASHER = PasswordHasher.from_parameters(CHEAPEST)


def operations_in(path: Path) -> dict[str, str]:
    """Operation name -> its text, each on its own; empty when the file is missing."""
    if not path.is_file():
        return {}
    document = parse(path.read_text())
    return {
        node.name.value: print_ast(node)
        for node in document.definitions
        if isinstance(node, OperationDefinitionNode) and node.name is not None
    }


@cache
def client_operations() -> dict[str, str]:
    """The operations this project serves (`clients/operations.graphql`), by name."""
    return operations_in(CLIENT_OPERATIONS)


@cache
def contract_operations() -> dict[str, str]:
    """The shared contract's operations by name; empty where `../shared` is absent."""
    return operations_in(CONTRACT)


def key_of(value: str) -> int:
    """The primary key behind a global id, for tests that look at the rows (clients never parse)."""
    decoded = decode(value)
    assert decoded is not None, f"not a global id: {value!r}"
    return int(decoded[1])


def id_of(kind: Kind, key: int | str) -> str:
    """The global id the API shows for the `kind` row with primary key `key`."""
    return global_id(kind, key)


TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-for-hs256"


@cache
def migrated_sqlite_template() -> Path:
    """A SQLite file with every migration applied, made once per process.

    Applying the migrations takes most of an app's start (Tortoise replays
    every migration's model state); a copy of this file takes a millisecond,
    and the app's own start then finds nothing left to apply.
    """
    folder = Path(tempfile.mkdtemp(prefix="mentoring-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    template = folder / "template.sqlite3"

    async def migrate() -> None:
        async with open_database(f"sqlite://{template}"):
            pass

    # In a thread of its own: the caller may be inside a running event loop.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, migrate()).result()
    # Closed cleanly, the write-ahead log is back in the file: one file to copy.
    leftovers = sorted(path.name for path in folder.iterdir() if path != template)
    assert not any(name.endswith("-wal") for name in leftovers), leftovers
    return template


def migrated_sqlite(path: Path) -> str:
    """The URL of a migrated SQLite database at `path`, copied from the template if missing.

    The folder and file are made with the process's umask, as any folder an
    operator made: the app's start still has to make them private.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(migrated_sqlite_template(), path)
    return f"sqlite://{path}"


def settings_for(tmp_path: Path, *, migrated: bool = True, **overrides: Any) -> Settings:
    """Settings for an app whose data lives in `tmp_path/data`.

    Unless `database_url` is given, its SQLite database is already migrated
    (a copy of `migrated_sqlite_template`); `migrated=False` leaves it to the
    app's start, from an empty folder.
    """
    database = tmp_path / "data" / "test.sqlite3"
    values: dict[str, Any] = {
        "database_url": f"sqlite://{database}",
        "broadcast_url": "memory://",
        "secret_key": TEST_SECRET_KEY,
        # Beside the database, whichever database: a test's keys are its own.
        "key_store_url": f"file://{tmp_path / 'data' / 'keys'}",
        "password_hasher": FAST_HASHER,
        "freeze_startup_heap": False,
        # The e-mail sender looks at the outbox once at start, then when a test
        # asks (tests/notifications), and presence is written when a sweep
        # runs: no statement of theirs lands in a test's count of statements.
        "outbox_interval": 3600.0,
        "presence_interval": 3600.0,
    }
    if migrated and "database_url" not in overrides:
        values["database_url"] = migrated_sqlite(database)
    return Settings(**{**values, **overrides})


@asynccontextmanager
async def running(app: Starlette) -> AsyncIterator[Starlette]:
    """Run the app's lifespan around a block, as a server would."""
    async with app.router.lifespan_context(app):
        yield app


class GraphQLErrors(AssertionError):
    pass


@dataclass
class Response:
    status: int
    body: dict[str, Any]

    @property
    def data(self) -> Any:
        if self.body.get("errors"):
            raise GraphQLErrors(f"unexpected errors: {self.body['errors']}")
        return self.body["data"]

    @property
    def errors(self) -> list[dict[str, Any]]:
        errors: list[dict[str, Any]] = self.body.get("errors") or []
        assert errors, f"expected errors, got data {self.body.get('data')}"
        return errors

    @property
    def code(self) -> str:
        codes: set[str] = {error["extensions"]["code"] for error in self.errors}
        assert len(codes) == 1, codes
        return codes.pop()

    @property
    def error_field(self) -> str:
        field_name: str = self.errors[0]["extensions"]["field"]
        return field_name

    @property
    def field_errors(self) -> dict[str, str]:
        """Every bad input field the first error names, with its message, in order."""
        listed: list[dict[str, str]] = self.errors[0]["extensions"]["fieldErrors"]
        return {each["field"]: each["message"] for each in listed}


@dataclass
class Client:
    """A GraphQL client for one role: anonymous, or a signed-in user."""

    http: httpx.AsyncClient
    token: str | None = None
    user_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Sent as `Accept-Language` when set: the reader's language of messages.
    language: str | None = None

    async def query(
        self, document: str, variables: Mapping[str, Any] | None = None, **extra: Any
    ) -> Response:
        headers = {"authorization": f"Bearer {self.token}"} if self.token else {}
        if self.language is not None:
            headers["accept-language"] = self.language
        payload: dict[str, Any] = {"query": document, "variables": dict(variables or {}), **extra}
        reply = await self.http.post("/graphql", json=payload, headers=headers)
        return Response(status=reply.status_code, body=reply.json())

    async def op(self, name: str, **variables: Any) -> Response:
        """Run one of the operations the project serves, by name."""
        return await self.query(client_operations()[name], variables)

    def signed_in(self, token: str, user_id: str) -> Client:
        return Client(http=self.http, token=token, user_id=user_id)

    async def register(
        self, email: str, name: str = "Test User", password: str = "correct horse"
    ) -> Client:
        data = (
            await self.op(
                "Register", input={"email": email, "password": password, "displayName": name}
            )
        ).data["register"]
        return self.signed_in(data["token"], data["user"]["id"])


class NoRateLimits:
    """For tests that register and sign in far more often than people do."""

    async def hit(self, policy: Policy, key: str) -> None:
        return None

    async def add(self, policy: Policy, key: str) -> Usage:
        return NO_USAGE

    async def usage(self, policy: Policy, key: str) -> Usage:
        return NO_USAGE

    async def close(self) -> None:
        return None


@contextmanager
def unlimited_app(tmp_path: Path) -> Iterator[TestClient]:
    """A synchronous client of a running app without rate limits (for hypothesis tests)."""
    app = create_app(settings_for(tmp_path, rate_limiter=NoRateLimits()))
    with TestClient(app) as client:
        yield client


def register_sync(http: TestClient, email: str) -> str:
    """Register through a synchronous client; the new user's token."""
    reply = http.post(
        "/graphql",
        json={
            "query": client_operations()["Register"],
            "variables": {
                "input": {"email": email, "password": "a long password", "displayName": "P"}
            },
        },
    )
    token: str = reply.json()["data"]["register"]["token"]
    return token
