"""Request bodies: bounded in size and in time, read before the app sees them.

Pure ASGI middleware, so that every route gets the same rules:

- a declared ``Content-Length`` over the limit is answered 413 without storing a byte;
  a body sent without one (chunked) is stored only up to the limit;
- a refused body that is already on its way is read and thrown away, up to a bound (64
  MiB or 10 seconds), before the 413, as nginx does: closing a socket with unread data
  makes the kernel reset the connection, and a client that sends its whole body before
  reading (Python's urllib, curl) would see a reset instead of the answer;
- the whole body must arrive within ``--body-timeout`` seconds (408 otherwise), so a
  client that trickles its body cannot hold a request open;
- a client that goes away while sending is let go quietly, without an answer or a
  traceback.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: How much of a refused body is read and thrown away, at most, and for how long.
DRAIN_BYTES = 64 << 20
DRAIN_SECONDS = 10.0


def body_too_large(size: int | None, limit: int) -> str:
    got = f"{size} bytes; " if size is not None else ""
    return f"Invalid request: body too large ({got}the limit is {limit} bytes)"


class _TooLarge(Exception):
    def __init__(self, more: bool) -> None:
        super().__init__()
        #: Whether the client has more of the body to send (the drain reads it).
        self.more = more


class _Gone(Exception):
    pass


class BodyLimitMiddleware:
    """Refuse request bodies over ``limit`` bytes (413) or slower than ``timeout`` (408).

    ``uploads`` names paths whose multipart bodies (file uploads) may reach a larger limit.
    """

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        timeout: float = 30.0,
        *,
        uploads: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout
        self.uploads = dict(uploads or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope)
        declared = _content_length(scope)
        if declared == -1:
            await _refuse(send, 400, "Invalid request: bad Content-Length header")
            return
        if declared is not None and declared > limit:
            if (b"expect", b"100-continue") not in scope.get("headers", []):
                await _discard(receive, declared)
            await _refuse(send, 413, body_too_large(declared, limit))
            return
        try:
            body = await asyncio.wait_for(self._read(receive, limit), self.timeout or None)
        except _Gone:
            return
        except _TooLarge as too_large:
            if too_large.more:  # the last chunk crossed it: nothing is left to drain
                await _discard(receive, None)
            await _refuse(send, 413, body_too_large(None, limit))
            return
        except asyncio.TimeoutError:
            await _refuse(
                send, 408, f"Invalid request: the body did not arrive within {self.timeout:g} s"
            )
            return
        first: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

        async def replay() -> Message:
            return first.pop() if first else await receive()

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive, limit: int) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Gone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _TooLarge(bool(message.get("more_body", False)))
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _limit_for(self, scope: Scope) -> int:
        upload = self.uploads.get(scope.get("path", ""))
        if upload is not None:
            for name, value in scope.get("headers", []):
                if name == b"content-type" and value.lower().startswith(b"multipart/form-data"):
                    return max(upload, self.limit)
        return self.limit


def _content_length(scope: Scope) -> int | None:
    """The declared body length, None when absent, -1 when malformed."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else -1
    return None


async def _discard(receive: Receive, declared: int | None) -> None:
    """Let a refused body arrive, keeping none of it, up to the drain bound."""
    if declared is not None and declared > DRAIN_BYTES:
        return

    async def drain() -> None:
        seen = 0
        while seen <= DRAIN_BYTES:
            message = await receive()
            seen += len(message.get("body", b""))
            if message["type"] != "http.request" or not message.get("more_body", False):
                return

    try:
        await asyncio.wait_for(drain(), DRAIN_SECONDS)
    except asyncio.TimeoutError:
        return


async def _refuse(send: Send, status: int, message: str) -> None:
    # The connection closes: what is left of a refused body is never read.
    await json_answer(send, status, {"error": message}, [(b"connection", b"close")])


async def json_answer(
    send: Send, status: int, body: dict[str, str], headers: list[tuple[bytes, bytes]]
) -> None:
    """Answer from middleware, before any route: ``body`` as JSON, with ``headers``."""
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})
