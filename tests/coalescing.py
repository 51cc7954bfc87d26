"""A coalescer running as the server runs it: on an event loop in a thread of its own, so
that a test's thread may call a :class:`~tarjama.server.coalescer.CoalescedEngine` as a
request thread does."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tarjama.server.coalescer import Coalescer


@contextmanager
def running_coalescer(name: str, *, wait_ms: float = 1.0) -> Iterator[Coalescer]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name=f"loop-{name}", daemon=True)
    thread.start()
    coalescer = Coalescer(name, wait_ms=wait_ms)

    async def start() -> None:
        coalescer.start()

    try:
        asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=30)
        yield coalescer
    finally:
        asyncio.run_coroutine_threadsafe(coalescer.close(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()
