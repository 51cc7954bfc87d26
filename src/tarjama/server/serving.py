"""Running the app: uvicorn on an already bound socket, stopped gracefully.

- **SIGTERM** (and Ctrl-C) stop the server the way an orchestrator expects: the socket
  stops accepting, idle connections close, requests in flight get up to
  ``--shutdown-timeout`` seconds to finish, the models are released, and the process
  exits 0. uvicorn would re-raise the signal after its clean stop, which ends the
  process with a signal status instead.
- **Malformed HTTP** that uvicorn's parser refuses before the app runs (``Content-Length:
  abc``) is answered with the usual ``{"error": ...}`` JSON, not plain text.
- **The C heap**: see :func:`tune_allocator` and :func:`heap_trimmer`.
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
from collections.abc import Callable
from types import FrameType

import h11
import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from .settings import Settings

log = logging.getLogger("tarjama.server")

MALFORMED = "Invalid request: malformed HTTP request"

#: glibc's mallopt parameter (malloc.h) and tarjama's value for a long-running server.
_M_ARENA_MAX = -8
ALLOCATOR = {
    # variable: (mallopt parameter, value)
    "MALLOC_ARENA_MAX": (_M_ARENA_MAX, 1),
}


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018  (AttributeError where the C library is not glibc)
    except (OSError, AttributeError):
        return None
    return libc


def tune_allocator() -> dict[str, int]:
    """Keep the C heap flat under a long stream of requests (glibc only).

    Every thread in glibc's one main arena: each request thread that touches the heap
    would get an arena of its own, and ``malloc_trim`` hands back the free pages inside
    every arena but trims the top of the main one only, so what a second arena's top had
    held for a large batch stayed resident (RSS at rest swung by 40 MiB on the OPUS-MT-sized
    model; docs/server.md has the measurements). With one arena and :func:`heap_trimmer`
    run when a model is idle, RSS at rest holds flat, at no cost in throughput measured.
    Call before any thread starts; a ``MALLOC_ARENA_MAX`` already set in the environment
    wins.

    Nothing else is set: a fixed mmap threshold (64 KiB here, once) sends every large
    buffer of a beam search through mmap/munmap, 2.6x the CPU time of a request, and any
    fixed threshold (trim or mmap) turns off glibc's own adaptive mmap threshold.
    """
    libc = _libc()
    if libc is None:
        return {}
    applied = {}
    for variable, (parameter, value) in ALLOCATOR.items():
        if variable not in os.environ and libc.mallopt(parameter, value) == 1:
            applied[variable] = value
    return applied


def heap_trimmer() -> Callable[[], None] | None:
    """``malloc_trim(0)``: hand the free pages inside the heap back to the system (glibc
    only). Run from an idle moment of a model's worker, never per request."""
    libc = _libc()
    if libc is None:
        return None
    trim = libc.malloc_trim

    def trim_heap() -> None:
        trim(0)

    return trim_heap


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
