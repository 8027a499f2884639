"""What every e-mail must be, whatever its kind: checked on what the SMTP server received."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from tests.notifications.smtp import Received

PUBLIC_URL = "https://mentoring.example.org"
SENDER = "mentoring@example.org"
GREETING = {"EN": "Hello", "DE": "Guten Tag"}
FOOTER = {"EN": "Stop e-mails of this kind", "DE": "E-Mails dieser Art abbestellen"}


def assert_proper(mail: Received, *, to: str, name: str, locale: str) -> None:
    """Headers, both parts, the recipient's language, a one-click unsubscribe."""
    message = mail.message
    assert mail.recipients == [to]
    assert message["To"].addresses[0].addr_spec == to
    assert message["To"].addresses[0].display_name == name
    assert message["From"].addresses[0].addr_spec == SENDER
    assert message["From"].addresses[0].display_name == "Alumni Mentoring"
    assert message["Message-ID"].startswith("<notification.")
    assert message["Message-ID"].endswith("@example.org>")
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert message["Content-Language"] == locale.lower()
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{PUBLIC_URL}/unsubscribe?token=")
    assert unsubscribe.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in mail.text
    assert unsubscribe[1:-1].replace("&", "&amp;") in mail.html
    for part in (mail.text, mail.html):
        assert GREETING[locale] in part
        assert FOOTER[locale] in part
    assert f'<html lang="{locale.lower()}">' in mail.html


def unsubscribe_url(mail: Received) -> str:
    header: str = mail.message["List-Unsubscribe"]
    return header.strip("<>")
