"""A real SMTP server in the test process (aiosmtpd), on a free port, that keeps what arrives.

It runs in its own thread (aiosmtpd's Controller), answers like a real
server, and can refuse chosen recipients for good (550), be stopped and
started again on the same port (an outage), or require STARTTLS with a
certificate the test made.
"""

from __future__ import annotations

import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None
        content: str = part.get_content()
        return content

    @property
    def html(self) -> str:
        part = self.message.get_body(("html",))
        assert part is not None
        content: str = part.get_content()
        return content


@dataclass
class Inbox:
    """The aiosmtpd handler: keeps each accepted e-mail, refuses `refused` with 550."""

    refused: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    # Set when an e-mail arrives (the server runs in its own thread).
    arrived: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        message = BytesParser(policy=policy.default).parsebytes(content)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.received.append(
                Received(str(envelope.mail_from), list(envelope.rcpt_tos), message)
            )
        self.arrived.set()
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        with self._lock:
            return [mail for mail in self.received if address in mail.recipients]

    def clear(self) -> None:
        with self._lock:
            self.received.clear()


class SmtpServer:
    """aiosmtpd on 127.0.0.1:`port`; `stop` and `start` again simulate an outage."""

    def __init__(
        self,
        inbox: Inbox,
        port: int | None = None,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.inbox = inbox
        self.port = port or free_port()
        self.tls_context = tls_context
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?starttls={'true' if self.tls_context else 'false'}"

    def start(self) -> None:
        assert self._controller is None
        self._controller = Controller(
            self.inbox,
            hostname="127.0.0.1",
            port=self.port,
            tls_context=self.tls_context,
            require_starttls=self.tls_context is not None,
            # aiosmtpd checks the server answers by connecting itself; with
            # STARTTLS required that check needs the same context.
            ready_timeout=5,
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
