"""Settings from the environment fail closed: a value that cannot be read stops the start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import Settings, SettingsError
from tests.support import ROOT

BOOLEANS = ("GRAPHIQL", "INTROSPECTION", "FIELD_SUGGESTIONS")
SECRET = "a-secret-key-long-enough-for-hs256-signing"


def _setting(name: str) -> str:
    return name.lower()


@pytest.mark.parametrize("name", BOOLEANS)
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
        ("On", True),
        (" true ", True),
        ("false", False),
        ("False", False),
        ("0", False),
        ("no", False),
        ("OFF", False),
    ],
)
def test_boolean_settings_read_the_usual_words(name: str, raw: str, expected: bool) -> None:
    settings = Settings.from_env({name: raw})

    assert getattr(settings, _setting(name)) is expected


@pytest.mark.parametrize("name", BOOLEANS)
def test_boolean_settings_default_to_true_when_unset_or_empty(name: str) -> None:
    assert getattr(Settings.from_env({}), _setting(name)) is True
    assert getattr(Settings.from_env({name: ""}), _setting(name)) is True


@pytest.mark.parametrize("name", BOOLEANS)
@pytest.mark.parametrize("raw", ["fasle", "disabled", "enabled", "nope", "2", "-1", "f", "t"])
def test_anything_else_stops_the_start_naming_the_variable(name: str, raw: str) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({name: raw})

    assert name in str(refused.value)
    assert repr(raw) in str(refused.value)


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("DATABASE_URL", "data/mentoring.sqlite3"),
        ("DATABASE_URL", "mysql://db/mentoring"),
        ("DATABASE_URL", "sqlite:/data/x.sqlite3"),
        ("BROADCAST_URL", "redis:/localhost"),
        ("BROADCAST_URL", "kafka://broker:9092"),
        ("BROADCAST_URL", "localhost:6379"),
    ],
)
def test_urls_with_an_unknown_scheme_are_refused(name: str, raw: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: raw})


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("DATABASE_URL", "sqlite://data/mentoring.sqlite3"),
        ("DATABASE_URL", "sqlite://:memory:"),
        ("DATABASE_URL", "postgres://u:p@db:5432/mentoring"),
        ("DATABASE_URL", "postgresql://u:p@db:5432/mentoring"),
        ("BROADCAST_URL", "memory://"),
        ("BROADCAST_URL", "redis://localhost:6379/0"),
        ("BROADCAST_URL", "rediss://cache:6380/0"),
    ],
)
def test_urls_of_the_supported_services_are_read(name: str, raw: str) -> None:
    settings = Settings.from_env({name: raw})

    assert getattr(settings, _setting(name)) == raw


def test_a_short_secret_key_is_refused() -> None:
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        Settings.from_env({"SECRET_KEY": "x" * 31})

    assert Settings.from_env({"SECRET_KEY": SECRET}).secret_key == SECRET


@pytest.mark.parametrize("raw", ["k1", "k1:not base64!", ":AAAA", "k1:" + "A" * 8])
def test_message_keys_that_do_not_parse_stop_the_start(raw: str) -> None:
    with pytest.raises(SettingsError, match="MESSAGE_KEYS"):
        Settings.from_env({"MESSAGE_KEYS": raw})


def test_the_command_line_stops_with_a_message_naming_the_variable(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite://{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": SECRET,
        "INTROSPECTION": "fasle",
    }
    done = subprocess.run(
        [sys.executable, "-m", "app", "serve", "--port", "1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode != 0
    assert "INTROSPECTION='fasle' is not a boolean" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "db.sqlite3").exists()


def test_demo_data_is_refused_against_a_database_server(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "SECRET_KEY": SECRET,
    }
    done = subprocess.run(
        [sys.executable, "-m", "app", "serve", "--demo-data", "--port", "1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode != 0
    assert "--demo-data creates accounts whose password is published" in done.stderr
    assert "Traceback" not in done.stderr
