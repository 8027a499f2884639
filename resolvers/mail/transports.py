"""Where e-mails go: an SMTP server (aiosmtplib), or `.eml` files in a folder.

`send_all` hands over a batch and tells, per e-mail, how it went: None
(accepted), `TemporaryFailure` (try again later: the server is down, slow,
or answered 4xx) or `PermanentFailure` (the server refused this e-mail for
good with 5xx: a retry would be refused again).

The SMTP transport keeps a few connections open while there is work and
sends over them at once; the sender closes them when the outbox runs dry.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

import aiosmtplib

from orm.private_files import FILE_MODE, private_folder
from resolvers.mail.server import SmtpServer

logger = logging.getLogger("mentoring.mail")

# Connections the SMTP transport opens at most, and sends over at once.
SMTP_CONNECTIONS = 4
# Seconds for connecting and for each SMTP command.
SMTP_TIMEOUT = 30.0


class TemporaryFailure(Exception):
    """Not delivered this time; the same e-mail may go through later."""


class PermanentFailure(Exception):
    """Refused for good (5xx): sending it again would be refused again."""


Outcome = TemporaryFailure | PermanentFailure | None


@dataclass(frozen=True)
class Envelope:
    """One e-mail, serialised once: the same bytes go to the server or the file."""

    notification_id: int
    created_at: datetime
    sender: str  # the envelope sender (MAIL FROM)
    recipient: str
    subject: str
    data: bytes


class Transport(Protocol):
    async def send_all(self, envelopes: Sequence[Envelope]) -> list[Outcome]: ...

    async def close(self) -> None: ...


def classify(error: Exception) -> TemporaryFailure | PermanentFailure:
    """A reply of 5xx to this e-mail's sender, recipient or content is permanent.

    Everything else is temporary: a connection refused or cut, a timeout, a
    4xx reply, and failures of the session itself (greeting, TLS, sign-in),
    which say nothing about this e-mail and heal with the server's setup.
    """
    code: int | None = None
    # The server's reply, not the exception's text, which names the recipient.
    summary = f"{type(error).__name__}: {error}"
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        refused = error.recipients[0]
        code, summary = refused.code, f"recipient refused: {refused.code} {refused.message}"
    elif isinstance(
        error,
        aiosmtplib.SMTPSenderRefused | aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError,
    ):
        code, summary = error.code, f"{type(error).__name__}: {error.code} {error.message}"
    summary = summary[:300]
    if code is not None and 500 <= code < 600:
        return PermanentFailure(summary)
    return TemporaryFailure(summary)


class SmtpTransport:
    def __init__(self, server: SmtpServer, connections: int = SMTP_CONNECTIONS) -> None:
        self.server = server
        self._clients: list[aiosmtplib.SMTP | None] = [None] * connections

    def _client(self) -> aiosmtplib.SMTP:
        server = self.server
        return aiosmtplib.SMTP(
            hostname=server.host,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.implicit_tls,
            # True: STARTTLS or nothing (never silently in clear); False: plain.
            start_tls=server.starttls,
            cert_bundle=server.cafile,
            timeout=SMTP_TIMEOUT,
        )

    async def _connected(self, slot: int) -> aiosmtplib.SMTP:
        client = self._clients[slot]
        if client is not None and client.is_connected:
            return client
        client = self._client()
        self._clients[slot] = client
        await client.connect()
        return client

    async def _drop(self, slot: int) -> None:
        client, self._clients[slot] = self._clients[slot], None
        if client is not None and client.is_connected:
            client.close()

    async def send_all(self, envelopes: Sequence[Envelope]) -> list[Outcome]:
        outcomes: list[Outcome] = [None] * len(envelopes)
        waiting = iter(range(len(envelopes)))

        async def work(slot: int) -> None:
            for index in waiting:
                envelope = envelopes[index]
                try:
                    client = await self._connected(slot)
                    await client.sendmail(envelope.sender, [envelope.recipient], envelope.data)
                except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
                    outcomes[index] = classify(error)
                    if not isinstance(error, aiosmtplib.SMTPResponseException):
                        await self._drop(slot)  # the session broke: start a new one
                    elif isinstance(outcomes[index], TemporaryFailure):
                        await self._reset(slot)

        slots = min(len(self._clients), len(envelopes))
        await asyncio.gather(*(work(slot) for slot in range(slots)))
        return outcomes

    async def _reset(self, slot: int) -> None:
        # After a refused transaction, RSET leaves the session clean for the next.
        client = self._clients[slot]
        if client is None:
            return
        try:
            await client.rset()
        except (aiosmtplib.SMTPException, OSError, TimeoutError):
            await self._drop(slot)

    async def close(self) -> None:
        for slot, client in enumerate(self._clients):
            self._clients[slot] = None
            if client is not None and client.is_connected:
                try:
                    await client.quit()
                except (aiosmtplib.SMTPException, OSError, TimeoutError):
                    client.close()


class FolderTransport:
    """Each e-mail as an `.eml` file (open it in any mail program), and one log line.

    The file's name comes from the outbox row, so that sending a row again
    rewrites its file instead of adding a second one.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _write(self, envelope: Envelope) -> Path:
        stamp = envelope.created_at.strftime("%Y%m%dT%H%M%S")
        path = self.folder / f"{stamp}-{envelope.notification_id}.eml"
        partial = path.with_name(path.name + ".partial")
        # The owner's alone (0600): an e-mail names its recipient.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(envelope.data)
        os.replace(partial, path)
        return path

    async def send_all(self, envelopes: Sequence[Envelope]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        if envelopes:
            private_folder(self.folder)
        for envelope in envelopes:
            try:
                path = self._write(envelope)
            except OSError as error:
                outcomes.append(TemporaryFailure(f"{type(error).__name__}: {error}"[:300]))
                continue
            logger.info("e-mail %r to %s written to %s", envelope.subject, envelope.recipient, path)
            outcomes.append(None)
            await asyncio.sleep(0)  # requests go in between the files
        return outcomes

    async def close(self) -> None:
        return None
