"""What every route needs: settings, models, keys, limits, metrics, the translation cache,
request threads and the scoring pool."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import Request

from ..workspace.stores import KeyLookup, ResultStore
from .access import KEY_INVALID, KEY_REQUIRED, Access, Gate
from .cache import TranslationCache
from .metrics import Metrics
from .registry import Registry
from .scoring import ScoringPool
from .settings import Settings

__all__ = ["KEY_INVALID", "KEY_REQUIRED", "REQUEST_THREADS", "ServerState", "get_state"]

T = TypeVar("T")

#: Request threads mostly wait on a coalesced batch; enough of them lets many requests
#: share one batch instead of queueing for a thread.
REQUEST_THREADS = 64


@dataclass
class ServerState:
    settings: Settings
    registry: Registry
    keys: KeyLookup | None
    metrics: Metrics = field(default_factory=Metrics)
    workers: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(REQUEST_THREADS, thread_name_prefix="request")
    )
    gate: Gate = field(init=False)
    cache: TranslationCache = field(init=False)
    scoring: ScoringPool = field(init=False)

    def __post_init__(self) -> None:
        self.gate = Gate(self.settings, self.keys)
        self.cache = TranslationCache(
            self.settings.translation_cache, self.settings.translation_cache_size
        )
        self.scoring = ScoringPool(self.settings.evaluate_workers)
        self.metrics.watch(self.registry, self.cache, self.scoring)

    async def in_thread(self, fn: Callable[[], T]) -> T:
        """Run pipeline work (segmenting, checks, the engine wait) off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.workers, fn)

    def results(self) -> ResultStore:
        """Translated files kept for download, within the server's quota."""
        return self.registry.workspace.results(**self._quota())

    def documents(self) -> ResultStore:
        """Documents kept to be rendered again, within the same quota."""
        return self.registry.workspace.documents(**self._quota())

    def _quota(self) -> dict[str, int]:
        s = self.settings
        return {"max_bytes": s.result_store_mb << 20, "max_files": s.result_store_files}

    async def check_access(self, request: Request, api_key: str | None, *, cost: int = 1) -> Access:
        """Let a request in (keys, bans, rate limits: :mod:`.access`), or refuse it."""
        return await self.gate.admit(request, api_key, cost)

    def close(self) -> None:
        self.workers.shutdown(wait=False, cancel_futures=True)
        self.scoring.close()


def get_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state
