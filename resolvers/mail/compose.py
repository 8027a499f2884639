"""One e-mail as proper MIME: plain text and HTML alternatives, and the headers mail needs.

`Message-ID` is derived from the outbox row, so an e-mail sent a second time
(after a crash between the server's acceptance and our record of it) carries
the same id, by which mail programs recognise the copy. Every e-mail has a
one-click unsubscribe (RFC 8058): `List-Unsubscribe` with the https link
and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, so that a mail
program's "unsubscribe" button POSTs to the link and switches the kind off.
`Auto-Submitted` (RFC 3834) keeps auto-responders from answering.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from orm.vocabulary import Locale
from resolvers.mail.rendering import Rendered


@dataclass(frozen=True)
class Addressing:
    sender: Address
    recipient: Address
    unsubscribe_url: str


def message_id(notification_id: int, created_at: datetime, domain: str) -> str:
    """Stable for one outbox row; unlike any other row's, in this or another database."""
    stamp = created_at.timestamp()
    digest = hashlib.blake2b(f"{notification_id}:{stamp}".encode(), digest_size=6).hexdigest()
    return f"<notification.{notification_id}.{digest}@{domain}>"


def compose(
    rendered: Rendered,
    addressing: Addressing,
    *,
    locale: Locale,
    date: datetime,
    message_id: str,
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = addressing.sender
    message["To"] = addressing.recipient
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{addressing.unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    # After the content: setting it clears every Content-* header.
    message["Content-Language"] = locale.value.lower()
    return message
