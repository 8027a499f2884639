"""One uvicorn process on a listening socket of its own, bound with SO_REUSEPORT.

.venv/bin/python -m bench.reuseport MODULE:APP HOST PORT

Several of these on one port each have their own accept queue, and the
kernel hands each new connection to one of them by a hash of its addresses.
uvicorn's `--workers` shares one socket instead, and whichever worker wakes
first takes every connection waiting: wrk opens its connections at once, and
bench.http saw splits of 7:1 and 8:0 of its 8 connections (one worker idle).
"""

from __future__ import annotations

import socket
import sys

import uvicorn


def main() -> None:
    app, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    # "auto" takes uvloop and httptools when installed, as bench.servers.fast_options
    # asks; level info shows "Application startup complete.", which the bench waits for.
    config = uvicorn.Config(app, loop="auto", http="auto", access_log=False, log_level="info")
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
