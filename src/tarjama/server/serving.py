"""Running the app: uvicorn on an already bound socket, stopped gracefully.

- **SIGTERM** (and Ctrl-C) stop the server the way an orchestrator expects: the socket
  stops accepting, idle connections close, requests in flight get up to
  ``--shutdown-timeout`` seconds to finish, the models are released, and the process
  exits 0. uvicorn would re-raise the signal after its clean stop, which ends the
  process with a signal status instead.
- **Malformed HTTP** that uvicorn's parser refuses before the app runs (``Content-Length:
  abc``) is answered with the usual ``{"error": ...}`` JSON, not plain text.
- **The C heap**: see :func:`tune_allocator`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import logging
import math
import os
import signal
import socket
import sys
from types import FrameType

import h11
import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from .settings import Settings

log = logging.getLogger("tarjama.server")

MALFORMED = "Invalid request: malformed HTTP request"

#: glibc's mallopt parameters (malloc.h) and tarjama's values for a long-running server.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8
ALLOCATOR = {
    # variable: (mallopt parameter, value)
    "MALLOC_ARENA_MAX": (_M_ARENA_MAX, 2),
    "MALLOC_MMAP_THRESHOLD_": (_M_MMAP_THRESHOLD, 65536),
    "MALLOC_TRIM_THRESHOLD_": (_M_TRIM_THRESHOLD, 131072),
}


def tune_allocator() -> dict[str, int]:
    """Keep the C heap from creeping under a long stream of requests (glibc only).

    Each request thread that touches the heap gets its own malloc arena, and freed
    blocks of many sizes fragment them, so resident memory grows by a few hundred bytes
    per request (docs/server.md has the measurements). Two arenas, large blocks mapped
    on their own and freed memory handed back to the system keep it flat. Call before
    any thread starts; a ``MALLOC_*`` variable already set in the environment wins.
    """
    if not sys.platform.startswith("linux"):
        return {}
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return {}
    applied = {}
    for variable, (parameter, value) in ALLOCATOR.items():
        if variable not in os.environ and mallopt(parameter, value) == 1:
            applied[variable] = value
    return applied


class JsonErrorProtocol(H11Protocol):
    """uvicorn's h11 protocol, answering what it cannot parse in the API's error shape."""

    def send_400_response(self, msg: str) -> None:
        body = json.dumps({"error": MALFORMED}).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"access-control-allow-origin", b"*"),
            (b"connection", b"close"),
        ]
        event = h11.Response(status_code=400, headers=headers, reason=b"Bad Request")
        self.transport.write(self.conn.send(event) or b"")
        self.transport.write(self.conn.send(h11.Data(data=body)) or b"")
        self.transport.write(self.conn.send(h11.EndOfMessage()) or b"")
        self.transport.close()


class GracefulServer(uvicorn.Server):
    """uvicorn's server, whose stop on a signal is the end of the process, status 0."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # Not recorded for re-raising: the signal asked for this clean stop.
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True  # a second Ctrl-C
        else:
            self.should_exit = True
            log.info("signal %d: finishing requests in flight, then stopping", sig)


def serve(app: ASGIApp, sock: socket.socket, settings: Settings) -> None:
    config = uvicorn.Config(
        app,
        log_level="debug" if settings.debug else "info",
        access_log=False,  # tarjama.access logs each request, without its text
        http=JsonErrorProtocol,
        timeout_graceful_shutdown=math.ceil(settings.shutdown_timeout),
        proxy_headers=True,  # X-Forwarded-For from a proxy on this machine
    )
    GracefulServer(config).run(sockets=[sock])
