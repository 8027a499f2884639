"""What data migrations need from the service's configuration.

Tortoise calls a `RunPython` function with the migration state and the schema
editor only. A migration that rewrites stored data with the service's secrets
(0004 seals the message bodies that were plain text) gets them here instead:
`orm.database.apply_migrations` provides them for the length of one run and
takes them back afterwards. The value lives in a context variable, so it is
seen only by the task that runs the migrations (two databases migrated at once
in one process each see their own), and never outlives the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from orm.encryption import Keyring
from orm.member_keys import MessageKeys
from orm.progress import SILENT, Progress


class MissingMigrationInput(RuntimeError):
    """A data migration needs configuration that its runner did not provide."""


@dataclass(frozen=True)
class MigrationInputs:
    # Seals stored message bodies; None when the runner has none (a database
    # without messages migrates without it).
    keyring: Keyring | None = None
    # Where a migration that walks many rows reports how far it got.
    progress: Progress = SILENT
    # The members' data keys, which 0014 moves the stored bodies to.
    member_keys: MessageKeys | None = None


_current: ContextVar[MigrationInputs | None] = ContextVar("migration_inputs", default=None)


@contextmanager
def providing(inputs: MigrationInputs) -> Iterator[None]:
    """Make `inputs` what the data migrations run inside this block see."""
    token = _current.set(inputs)
    try:
        yield
    finally:
        _current.reset(token)


def keyring() -> Keyring:
    """The service's message keyring, for a migration that has bodies to seal."""
    inputs = _current.get()
    found = inputs.keyring if inputs is not None else None
    if found is None:
        raise MissingMigrationInput(
            "this migration seals stored message bodies and needs the service's"
            " message keyring: migrate with `python -m app migrate` or by starting"
            " the service, which pass it"
        )
    return found


def progress() -> Progress:
    """Where the running migration reports its rows (nothing outside a runner's block)."""
    inputs = _current.get()
    return inputs.progress if inputs is not None else SILENT


def member_keys() -> MessageKeys:
    """The members' data keys, for a migration that seals bodies with them."""
    inputs = _current.get()
    found = inputs.member_keys if inputs is not None else None
    if found is None:
        raise MissingMigrationInput(
            "this migration seals stored message bodies with each sender's own key and"
            " needs the service's key store: migrate with `python -m app migrate` or by"
            " starting the service, which pass it"
        )
    return found
