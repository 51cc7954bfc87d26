"""Request-size and request-rate limits.

The body limit is pure ASGI middleware so that an oversized body is refused before the
app reads it: a declared ``Content-Length`` over the limit is answered without being
stored, and a body without one (chunked) is buffered only up to the limit.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, MutableMapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def body_too_large(size: int | None, limit: int) -> str:
    got = f"{size} bytes; " if size is not None else ""
    return f"Invalid request: body too large ({got}the limit is {limit} bytes)"


class BodyLimitMiddleware:
    """Refuse request bodies over ``limit`` bytes with 413 and the usual error shape.

    ``uploads`` names paths whose multipart bodies (file uploads) may reach a larger limit.
    """

    def __init__(
        self, app: ASGIApp, limit: int, *, uploads: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.limit = limit
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
        if declared is not None:
            if declared > limit:
                await _discard(scope, receive, declared, limit)
                await _refuse(send, 413, body_too_large(declared, limit))
                return
            await self.app(scope, receive, send)
            return
        # No declared length: read up to the limit, then replay what was read.
        chunks: list[Message] = []
        size = 0
        while True:
            message = await receive()
            chunks.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                await _refuse(send, 413, body_too_large(None, limit))
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return chunks.pop(0) if chunks else await receive()

        await self.app(scope, replay, send)

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


async def _discard(scope: Scope, receive: Receive, declared: int, limit: int) -> None:
    """Let a refused body that is already on its way arrive, without keeping any of it.

    Closing a socket with unread data makes the kernel reset the connection, and the
    client then never sees the 413. A client that sent ``Expect: 100-continue`` has sent
    nothing, and a body far over the limit is not worth the wait: both are cut off.
    """
    if declared > 4 * limit or (b"expect", b"100-continue") in scope.get("headers", []):
        return
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """A token bucket per client: ``limit`` requests per minute, refilled continuously.

    Buckets that have refilled completely are forgotten, so memory stays bounded by the
    number of clients seen in the last minute.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: MutableMapping[str, tuple[float, float]] = {}
        self._next_sweep = 0.0

    def allow(self, client: str, limit: int) -> bool:
        """Take one request from ``client``'s bucket of ``limit`` per minute."""
        if limit < 0:
            return True
        now = self._clock()
        self._sweep(now)
        tokens, last = self._buckets.get(client, (float(limit), now))
        tokens = min(float(limit), tokens + (now - last) * limit / 60.0)
        if tokens < 1.0:
            self._buckets[client] = (tokens, now)
            return False
        self._buckets[client] = (tokens - 1.0, now)
        return True

    def _sweep(self, now: float) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + 60.0
        # Any bucket untouched for a minute is full again: the same as no entry.
        stale = [k for k, (_, last) in self._buckets.items() if now - last >= 60.0]
        for key in stale:
            del self._buckets[key]
