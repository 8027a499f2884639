"""The command line: seed, migrate, export-schema, as an operator runs them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT


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


def test_export_schema_writes_sdl(tmp_path: Path) -> None:
    run_cli(
        "export-schema",
        "--output",
        str(tmp_path / "out.graphql"),
        cwd=tmp_path,
        database=tmp_path / "x.sqlite3",
    )

    assert "type Mentor" in (tmp_path / "out.graphql").read_text()
