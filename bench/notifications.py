"""E-mail delivery figures: N queued e-mails sent by one process to a local SMTP server.

.venv/bin/python -m bench.notifications --emails 10000

Queues N e-mails (an accepted request each, in a fresh SQLite database, or
DATABASE_URL) and runs the service's sender (`resolvers.outbox_sender`, its
SMTP transport with its default connections) until the outbox is empty,
against aiosmtpd in a separate process on this machine, which records the
Message-ID of every e-mail it accepts. Prints e-mails per second, the CPU
this process used, and checks that every e-mail arrived exactly once and
that every outbox row is SENT.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from orm.database import open_database
from orm.models import Notification
from resolvers.mail.letters import Letters
from resolvers.mail.server import parse_mail_from, parse_smtp_url
from resolvers.mail.transports import SMTP_CONNECTIONS, SmtpTransport
from resolvers.outbox_sender import OutboxSender
from resolvers.unsubscribe import UnsubscribeLinks
from tests.notifications.bulk import queue_accepted_requests
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-key-that-is-long-enough-for-hs256"  # noqa: S105 - a bench's own


class Recorder:
    """The SMTP server's handler: one line per accepted e-mail, its Message-ID."""

    def __init__(self, path: Path) -> None:
        self.file = path.open("a", buffering=1)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        assert isinstance(content, bytes)
        for line in content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.file.write(line.split(b":", 1)[1].strip().decode() + "\n")
                break
        return "250 OK"


def serve(port: int, path: Path) -> None:
    """The server process: aiosmtpd until killed."""
    controller = Controller(Recorder(path), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def start_server(port: int, path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.notifications", "--serve", str(port), str(path)], env=env
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                probe.recv(100)
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the SMTP server did not start")


async def run(args: argparse.Namespace) -> int:
    folder = Path(tempfile.mkdtemp(prefix="bench-notifications-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite://{folder / 'bench.sqlite3'}"
    received = folder / "received.txt"
    port = free_port()
    server = start_server(port, received)
    try:
        async with open_database(database_url):
            now = datetime.now(UTC)
            queued = await queue_accepted_requests(args.emails, now, prefix="bench")
            links = UnsubscribeLinks(SECRET)
            letters = Letters(
                parse_mail_from("Alumni Mentoring <mentoring@bench.example>"),
                "https://mentoring.example.org",
                links,
            )
            transport = SmtpTransport(
                parse_smtp_url(f"smtp://127.0.0.1:{port}?starttls=false"), args.connections
            )
            sender = OutboxSender(transport, letters, lambda: datetime.now(UTC))
            cpu, started = time.process_time(), time.perf_counter()
            report = await sender.deliver_due()
            await transport.close()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            states = Counter(
                row.status.value for row in await Notification.all().only("id", "status")
            )
    finally:
        await asyncio.sleep(0.5)  # the server's last lines
        server.kill()
        server.wait()
    ids = Counter(received.read_text().split())
    print(f"database: {database_url.split('://')[0]}, e-mails queued: {queued}")
    print(
        f"sent {report['sent']} in {elapsed:.1f} s: {report['sent'] / elapsed:.0f} e-mails/s"
        f" (this process used {cpu:.1f} s of CPU, {cpu / elapsed:.0%} of a core)"
    )
    lost = queued - len(ids)
    doubled = sum(count - 1 for count in ids.values() if count > 1)
    print(
        f"server received {sum(ids.values())}: {lost} lost, {doubled} doubled; rows {dict(states)}"
    )
    load = os.getloadavg()
    print(f"load average while measured: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    ok = lost == 0 and doubled == 0 and states == {"SENT": queued}
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument(
        "--connections", type=int, default=SMTP_CONNECTIONS, help="SMTP connections at once"
    )
    parser.add_argument("--serve", nargs=2, metavar=("PORT", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(int(args.serve[0]), Path(args.serve[1]))
        return
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
