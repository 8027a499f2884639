"""The command line: seed, migrate, export-schema, rewrap-keys, roles and stats.

`python -m app` itself runs in a child process where the entry point is the
point (seed, migrate); the other commands run through the same `main` in
this process (`command`), with the environment and folder an operator's
shell would give them, which spares each a new interpreter's start.
"""

from __future__ import annotations

import base64
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import app
from orm.encryption import Keyring
from orm.key_store import FolderKeyStore
from orm.member_keys import MessageKeys
from tests.support import ROOT, migrated_sqlite


def run_cli(*args: str, cwd: Path, database: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite://{database}"}
    done = subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def command(
    *args: str,
    database: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    **env: str,
) -> str:
    """What `python -m app <args>` prints, run by `app.main` in this process."""
    with monkeypatch.context() as scope:
        scope.chdir(database.parent)
        scope.setenv("DATABASE_URL", f"sqlite://{database}")
        for name, value in env.items():
            scope.setenv(name, value)
        capsys.readouterr()
        app.main(list(args))
        return capsys.readouterr().out


def test_seed_creates_the_schema_and_inserts_the_profiles(tmp_path: Path) -> None:
    database = tmp_path / "seeded.sqlite3"

    output = run_cli(
        "seed",
        "--mentors",
        "120",
        "--mentees",
        "30",
        "--seed",
        "4",
        cwd=tmp_path,
        database=database,
    )

    assert "seeded 120 mentors and 30 mentees" in output
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT COUNT(*) FROM mentor_profile").fetchone() == (120,)
        assert connection.execute("SELECT COUNT(*) FROM mentee_profile").fetchone() == (30,)


def test_migrate_is_idempotent(tmp_path: Path) -> None:
    database = tmp_path / "migrated.sqlite3"

    run_cli("migrate", cwd=tmp_path, database=database)
    run_cli("migrate", cwd=tmp_path, database=database)

    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"user", "session", "mentor_profile", "mentee_profile", "relationship"} <= tables


def test_export_schema_writes_sdl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.graphql"
    printed = command(
        "export-schema",
        "--output",
        str(output),
        database=tmp_path / "x.sqlite3",
        monkeypatch=monkeypatch,
        capsys=capsys,
    )

    assert printed == f"wrote {output}\n"
    assert "type Mentor" in output.read_text()


def _register(database: Path, email: str) -> None:
    with sqlite3.connect(database) as connection:
        connection.execute(
            'INSERT INTO "user" (email, display_name, password_hash, created_at, locale)'
            " VALUES (?, 'M', 'x', '2026-01-01 00:00:00+00:00', 'EN')",
            (email,),
        )


def _roles(database: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            'SELECT u.email, r.name FROM role r JOIN "user" u ON u.id = r.user_id'
        ).fetchall()


def test_grant_and_revoke_role_give_and_take_the_moderator_role(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "roles.sqlite3"
    migrated_sqlite(database)
    _register(database, "mod@example.org")

    def cli(*args: str) -> str:
        return command(*args, database=database, monkeypatch=monkeypatch, capsys=capsys)

    granted = cli("grant-role", "Mod@Example.org", "MODERATOR")
    again = cli("grant-role", "mod@example.org", "MODERATOR")
    assert _roles(database) == [("mod@example.org", "MODERATOR")]
    revoked = cli("revoke-role", "mod@example.org", "MODERATOR")

    assert "MODERATOR granted: mod@example.org" in granted
    assert "nothing to do" in again
    assert "MODERATOR revoked: mod@example.org" in revoked
    assert _roles(database) == []


def test_grant_role_refuses_an_unknown_account_and_an_unknown_role(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "roles.sqlite3"
    migrated_sqlite(database)

    with pytest.raises(SystemExit) as unknown_account:
        command(
            "grant-role",
            "nobody@example.org",
            "MODERATOR",
            database=database,
            monkeypatch=monkeypatch,
            capsys=capsys,
        )
    assert (
        unknown_account.value.code
        == "python -m app: no account has the e-mail address nobody@example.org"
    )
    with pytest.raises(SystemExit) as unknown_role:
        command(
            "grant-role",
            "nobody@example.org",
            "ADMIN",
            database=database,
            monkeypatch=monkeypatch,
            capsys=capsys,
        )
    assert unknown_role.value.code == 2  # argparse: not one of the choices
    assert "invalid choice: 'ADMIN'" in capsys.readouterr().err
    assert _roles(database) == []


def test_stats_prints_the_program_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "stats.sqlite3"
    migrated_sqlite(database)
    command(
        "seed",
        "--mentors",
        "40",
        "--mentees",
        "10",
        "--quiet",
        database=database,
        monkeypatch=monkeypatch,
        capsys=capsys,
    )
    with sqlite3.connect(database) as connection:
        (complete,) = connection.execute(
            "SELECT COUNT(*) FROM mentor_profile WHERE is_complete"
        ).fetchone()

    output = command("stats", database=database, monkeypatch=monkeypatch, capsys=capsys)

    figures = dict(line.split("\t") for line in output.splitlines())
    assert figures["mentors"] == str(complete)
    assert figures["requests_open"] == "0"
    assert figures["acceptance_rate"] == "-"


def test_rewrap_keys_wraps_every_member_key_with_the_new_message_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = (base64.b64encode(os.urandom(32)).decode() for _ in range(2))
    store = FolderKeyStore(tmp_path / "keys")
    sealed = MessageKeys(Keyring.parse(f"k1:{old}"), store).seal(7, "before rotation", b"m")

    output = command(
        "rewrap-keys",
        database=tmp_path / "db.sqlite3",
        monkeypatch=monkeypatch,
        capsys=capsys,
        MESSAGE_KEYS=f"k2:{new},k1:{old}",
        KEY_STORE_URL=f"file://{tmp_path / 'keys'}",
    )

    assert "1 member keys wrapped anew" in output
    wrapped = store.load(7)
    assert wrapped is not None
    assert wrapped.key_id == "k2"
    only_new = MessageKeys(Keyring.parse(f"k2:{new}"), store)
    assert only_new.open(7, sealed, b"m") == "before rotation"
