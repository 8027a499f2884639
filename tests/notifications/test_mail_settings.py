"""SMTP_URL, MAIL_FROM and PUBLIC_URL: read strictly, a bad value names its variable."""

from __future__ import annotations

import pytest

from app import DEFAULT_MAIL_FROM, DEFAULT_PUBLIC_URL, Settings, SettingsError
from resolvers.mail.server import SmtpServer, parse_public_url, parse_smtp_url
from resolvers.mail.transports import FolderTransport, SmtpTransport


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://mailer:s%3Acret@mail.example.org:587?starttls=true",
            SmtpServer("mail.example.org", 587, "mailer", "s:cret", False, True, None),
        ),
        (
            "smtp://mail.example.org",
            SmtpServer("mail.example.org", 587, None, None, False, True, None),
        ),
        (
            "smtp://127.0.0.1:1025?starttls=false",
            SmtpServer("127.0.0.1", 1025, None, None, False, False, None),
        ),
        (
            "smtps://mailer:pw@mail.example.org",
            SmtpServer("mail.example.org", 465, "mailer", "pw", True, False, None),
        ),
        (
            "smtp://mail.example.org:2525?starttls=yes&cafile=/etc/ssl/private-ca.pem",
            SmtpServer(
                "mail.example.org", 2525, None, None, False, True, "/etc/ssl/private-ca.pem"
            ),
        ),
    ],
)
def test_smtp_urls_of_each_form_are_read(url: str, expected: SmtpServer) -> None:
    settings = Settings.from_env({"SMTP_URL": url})

    assert parse_smtp_url(url) == expected
    assert settings.smtp_url == url
    assert isinstance(settings.mail_transport(), SmtpTransport)


@pytest.mark.parametrize(
    "url",
    [
        "http://mail.example.org",
        "mail.example.org:587",
        "smtp://",
        "smtp://mail.example.org:99999",
        "smtp://mail.example.org:port",
        "smtp://mail.example.org?starttls=maybe",
        "smtp://mail.example.org?tls=true",
        "smtps://mail.example.org?starttls=true",
        "smtp://mailer@mail.example.org",
        "smtp://mail.example.org/path",
    ],
)
def test_a_bad_smtp_url_stops_the_start_naming_the_variable(url: str) -> None:
    with pytest.raises(SettingsError, match=r"^SMTP_URL "):
        Settings.from_env({"SMTP_URL": url})


def test_the_password_never_shows_in_the_settings_repr() -> None:
    server = parse_smtp_url("smtp://mailer:hunter2-secret@mail.example.org")

    assert "hunter2" not in repr(server)


def test_without_smtp_url_e_mails_go_to_the_outbox_folder_beside_the_database() -> None:
    settings = Settings.from_env({"DATABASE_URL": "sqlite://var/lib/mentoring/db.sqlite3"})

    transport = settings.mail_transport()

    assert isinstance(transport, FolderTransport)
    assert str(transport.folder) == "var/lib/mentoring/outbox"
    assert (settings.mail_from, settings.public_url) == (DEFAULT_MAIL_FROM, DEFAULT_PUBLIC_URL)


@pytest.mark.parametrize(
    "value", ["Mentoring <no-reply@example.org>", "no-reply@example.org", "M <m@localhost>"]
)
def test_mail_from_takes_an_address_with_or_without_a_name(value: str) -> None:
    assert Settings.from_env({"MAIL_FROM": value}).mail_from == value


@pytest.mark.parametrize(
    "value", ["Mentoring", "<@example.org>", "a b@example.org", "Mentoring <no-reply@>"]
)
def test_a_bad_mail_from_stops_the_start_naming_the_variable(value: str) -> None:
    with pytest.raises(SettingsError, match=r"^MAIL_FROM "):
        Settings.from_env({"MAIL_FROM": value})


def test_public_url_loses_a_trailing_slash_in_links_only() -> None:
    settings = Settings.from_env({"PUBLIC_URL": "https://mentoring.example.org/app/"})

    assert settings.public_url == "https://mentoring.example.org/app/"
    assert parse_public_url(settings.public_url) == "https://mentoring.example.org/app"


@pytest.mark.parametrize(
    "value",
    [
        "mentoring.example.org",
        "ftp://mentoring.example.org",
        "https://",
        "https://mentoring.example.org/?next=x",
        "https://mentoring.example.org/#top",
        "https://user:pw@mentoring.example.org",
    ],
)
def test_a_bad_public_url_stops_the_start_naming_the_variable(value: str) -> None:
    with pytest.raises(SettingsError, match=r"^PUBLIC_URL "):
        Settings.from_env({"PUBLIC_URL": value})
