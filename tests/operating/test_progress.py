"""Long commands show their progress: a bar in a terminal, lines in a log, a summary always."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT, migrated_sqlite


def _env(tmp_path: Path, *, migrated: bool = False) -> dict[str, str]:
    """The command's environment; its database empty, or already migrated (`migrated`)
    where the test is about seeding alone and the migrations' own minutes are not its subject."""
    database = tmp_path / "progress.sqlite3"
    url = migrated_sqlite(database) if migrated else f"sqlite://{database}"
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
        "TERM": "xterm-256color",
        "COLUMNS": "120",
    }


def _seed(mentors: int, *options: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "app",
        "seed",
        "--mentors",
        str(mentors),
        "--mentees",
        "0",
        *options,
    ]


def _in_a_terminal(command: list[str], env: dict[str, str], cwd: Path) -> str:
    """Everything the command writes to its terminal (a pseudo-terminal here)."""
    main, replica = pty.openpty()
    process = subprocess.Popen(
        command, stdin=replica, stdout=replica, stderr=replica, env=env, cwd=cwd
    )
    os.close(replica)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert process.wait(timeout=300) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_seed_in_a_terminal_shows_a_bar_that_advances(tmp_path: Path) -> None:
    # Enough rows that the seed outlasts several of rich's redraws (ten a
    # second): building a profile takes a few microseconds.
    output = _in_a_terminal(_seed(50_000), _env(tmp_path, migrated=True), tmp_path)

    # rich redraws the bar in place: each drawing has the count so far.
    counts = [int(done) for done in re.findall(r"(\d+)/50000\b", output)]
    assert len(set(counts)) >= 3, output
    assert counts == sorted(counts)
    assert counts[-1] == 50_000
    assert "━" in output  # the bar itself
    assert re.search(r"\d+/s", output)  # the rate
    assert "seeded 50000 mentors and 0 mentees" in output


def test_seed_without_a_terminal_writes_a_line_every_few_seconds(tmp_path: Path) -> None:
    # Enough rows that building them (a batch ahead of the writing, which paces
    # it) outlasts several 0.1 s intervals on a fast machine too.
    done = subprocess.run(
        _seed(50_000, "--progress-every", "0.1"),
        env=_env(tmp_path, migrated=True),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )

    lines = re.findall(r"building profiles: ([\d,]+)/50,000 \(\d+%\), [\d,]+/s", done.stderr)
    assert len(set(lines)) >= 2, done.stderr
    assert "\x1b[" not in done.stderr  # no terminal codes in a log
    assert re.search(r"building profiles: 50,000 in [\d.]+ s \([\d,]+/s\)", done.stderr)
    assert re.search(r"inserting rows: 100,000 in [\d.]+ s", done.stderr)
    assert "seeded 50000 mentors and 0 mentees" in done.stdout


def test_quiet_leaves_only_the_summary(tmp_path: Path) -> None:
    done = subprocess.run(
        _seed(300, "--quiet"),
        env=_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )

    assert "building profiles" not in done.stderr
    assert "migrations" not in done.stderr
    assert re.fullmatch(
        r"seeded 300 mentors and 0 mentees in [\d.]+ s \([\d,]+ profiles/s\)\n", done.stdout
    )


def test_migrate_reports_each_migration_and_a_summary(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "migrate", "--progress-every", "0"],
        env=_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )

    steps = re.findall(r"migrations: (\d+)/(\d+) ", done.stderr)
    migrations = len(list((ROOT / "orm" / "migrations").glob("0*.py")))
    assert [int(step) for step, _ in steps] == list(range(1, migrations))
    assert f"migrations: {migrations} in" in done.stderr
    assert f"applied {migrations} migrations in" in done.stdout
