"""What every route needs: settings, models, keys, the rate limiter and request threads."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import Request

from ..workspace import KeyStore
from .errors import ApiError
from .limits import RateLimiter
from .registry import Registry
from .settings import Settings

T = TypeVar("T")

#: Request threads mostly wait on a coalesced batch; enough of them lets many requests
#: share one batch instead of queueing for a thread.
REQUEST_THREADS = 64

KEY_REQUIRED = "Please contact the server operator to get an API key"
KEY_INVALID = "Invalid API key"


@dataclass
class ServerState:
    settings: Settings
    registry: Registry
    keys: KeyStore | None
    limiter: RateLimiter = field(default_factory=RateLimiter)
    workers: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(REQUEST_THREADS, thread_name_prefix="request")
    )

    async def in_thread(self, fn: Callable[[], T]) -> T:
        """Run pipeline work (segmenting, checks, the engine wait) off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.workers, fn)

    async def check_access(self, request: Request, api_key: str | None) -> None:
        """403 for a missing or unknown key (when keys are on), 429 past the rate limit."""
        limit = self.settings.req_limit
        client = f"ip:{request.client.host}" if request.client else "ip:unknown"
        if self.keys is not None:
            if not api_key:
                raise ApiError(403, KEY_REQUIRED)
            record = await asyncio.to_thread(self.keys.lookup, api_key)
            if record is None:
                raise ApiError(403, KEY_INVALID)
            client = f"key:{record.id}"
            if record.req_limit is not None:
                limit = record.req_limit
        if not self.limiter.allow(client, limit):
            raise ApiError(429, f"Slowdown: {limit} per 1 minute")


def get_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state
