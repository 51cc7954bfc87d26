"""One place that sees every request end: request metrics, the access log, and the
charges that depend on a request's duration (``--req-time-cost``).

The access log is one JSON line per request on the ``tarjama.access`` logger: method,
route (the route's pattern, not the path), status, characters, milliseconds, the key's
name (never the key) and the client's address. No text is logged unless ``--log-text``:
news copy is confidential before it is published. A request whose client went away before
an answer is logged with status 499, as nginx does.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .metrics import Metrics

log = logging.getLogger("tarjama.access")

GONE = 499


def note(request: Request, *, chars: int, text: Any = None, translation: Any = None) -> None:
    """What a route tells the access log about its request."""
    state = request.scope.setdefault("state", {})
    state["tarjama.chars"] = chars
    if text is not None:
        state["tarjama.text"] = text
    if translation is not None:
        state["tarjama.translation"] = translation


def route_label(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else "unmatched"


class ObserveMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: Metrics | None, log_text: bool) -> None:
        self.app = app
        self.metrics = metrics
        self.log_text = log_text

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        status = GONE
        started = time.perf_counter()

        async def watching(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        if self.metrics is not None:
            self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, watching)
        finally:
            seconds = time.perf_counter() - started
            if self.metrics is not None:
                self.metrics.in_flight.dec()
            self._finish(scope, state, status, seconds)

    def _finish(self, scope: Scope, state: dict[str, Any], status: int, seconds: float) -> None:
        for after in state.get("tarjama.after", ()):
            after(seconds)
        route = route_label(scope)
        if self.metrics is not None:
            self.metrics.observe_request(route, scope["method"], status, seconds)
        if not log.isEnabledFor(logging.INFO):
            return
        client = scope.get("client")
        line: dict[str, Any] = {
            "method": scope["method"],
            "route": route,
            "status": status,
            "chars": state.get("tarjama.chars", 0),
            "ms": round(seconds * 1000, 1),
            "key": state.get("tarjama.key"),
            "client": client[0] if client else None,
        }
        if self.log_text:
            line["text"] = state.get("tarjama.text")
            line["translation"] = state.get("tarjama.translation")
        log.info("%s", json.dumps(line, ensure_ascii=False))
