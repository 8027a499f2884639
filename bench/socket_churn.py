"""What sockets the server closes leave behind: tasks, and the server's memory.

.venv/bin/python -m bench.socket_churn --connections 1000

Two parts, each printing its figures:

- Tasks: the app under uvicorn in this process (as the live tests run it).
  `--connections` anonymous sockets each subscribe to viewerEvents and are
  closed with 4403, then `--revoked` signed-in sockets each subscribe to
  both streams and are closed with 4403 when their token is logged out over
  HTTP. Prints the event loop's task count before, after each phase, and
  once settled.
- Memory: `uvicorn app:app` in its own process, as the README runs it.
  After a warm-up, `--connections` anonymous subscribe-and-4403 sockets;
  prints the server's resident memory (VmRSS) before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import websockets

from tests.live import PROTOCOL, LiveServer, Socket, connect, serve
from tests.servers import free_port, serving
from tests.support import ROOT, Client, NoRateLimits, client_operations, settings_for

WARM_UP = 50
PASSWORD = "correct horse"  # noqa: S105 - what Client.register signs up with


async def subscribe_anonymously(url: str) -> None:
    async with websockets.connect(url, subprotocols=[PROTOCOL]) as connection:  # type: ignore[list-item]
        socket = Socket(connection)
        await socket.init(None)
        await socket.subscribe("x", "ViewerEvents")
        code = await socket.close_code()
        assert code == 4403, code


async def settled_tasks(baseline: int) -> int:
    for _ in range(500):
        if len(asyncio.all_tasks()) <= baseline:
            break
        await asyncio.sleep(0.01)
    return len(asyncio.all_tasks())


async def revoke_subscriptions(server: LiveServer, http: httpx.AsyncClient, count: int) -> None:
    member = await Client(http=http).register("churn@example.org", "Churn")
    login = client_operations()["Login"]
    for _ in range(count):
        reply = await member.query(login, {"email": "churn@example.org", "password": PASSWORD})
        session = member.signed_in(reply.data["login"]["token"], member.user_id or "")
        async with connect(server, session.token) as socket:
            await socket.subscribe("e", "ViewerEvents")
            for _ in range(500):  # until the subscription listens
                if server.hub.listener_count() >= 2:
                    break
                await asyncio.sleep(0.01)
            await session.op("Logout")
            code = await socket.close_code()
            assert code == 4403, code


async def count_tasks(connections: int, revoked: int, folder: Path) -> None:
    settings = settings_for(folder, rate_limiter=NoRateLimits())
    async with serve(settings) as server, httpx.AsyncClient(base_url=server.http_url) as http:
        await http.get("/readyz")
        start = len(asyncio.all_tasks())
        for _ in range(connections):
            await subscribe_anonymously(server.ws_url)
        after_anonymous = len(asyncio.all_tasks())
        await revoke_subscriptions(server, http, revoked)
        after_revoked = len(asyncio.all_tasks())
        settled = await settled_tasks(start)
    print(
        f"tasks: {start} at the start, {after_anonymous} after {connections} anonymous "
        f"4403s, {after_revoked} after {revoked} revoked subscriptions, {settled} settled"
    )


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def measure_memory(connections: int, folder: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "app:app", "--port", str(port)]
    command += ["--log-level", "warning", "--no-access-log"]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite://{folder / 'data' / 'churn.sqlite3'}",
        "SECRET_KEY": "a-bench-secret-key-that-is-long-enough-for-hs256",
    }
    with serving(command, port=port, cwd=folder, env=env) as base_url:
        url = base_url.replace("http://", "ws://") + "/graphql"
        pid = server_pid(port)

        async def churn(count: int) -> None:
            for _ in range(count):
                await subscribe_anonymously(url)

        asyncio.run(churn(WARM_UP))
        before = rss_kib(pid)
        asyncio.run(churn(connections))
        after = rss_kib(pid)
    print(
        f"server RSS: {before / 1024:.1f} MiB after {WARM_UP} warm-up connections, "
        f"{after / 1024:.1f} MiB after {connections} more anonymous 4403s "
        f"({(after - before) / 1024:+.1f} MiB)"
    )


def server_pid(port: int) -> int:
    """The uvicorn process listening on `port` (`serving` does not hand it out)."""
    listing = subprocess.run(
        ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout
    return int(listing.split("pid=")[1].split(",")[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--revoked", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(count_tasks(args.connections, args.revoked, Path(folder) / "tasks"))
        measure_memory(args.connections, Path(folder))


if __name__ == "__main__":
    main()
