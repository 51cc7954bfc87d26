"""The idle hook (the heap trim) runs once more when a model has been quiet since its last
batch: what that batch's requests freed after the hook ran is handed back then, not kept
resident until the next request comes."""

from __future__ import annotations

import asyncio

from tarjama.server.coalescer import Coalescer

from ..fakes import FakeEngine


def test_a_quiet_model_runs_its_idle_hook_once_after_the_last_batch() -> None:
    engine = FakeEngine()
    calls: list[float] = []

    async def run() -> tuple[int, int]:
        coalescer = Coalescer("m", wait_ms=0)
        coalescer.idle_every = 0.2
        coalescer.on_idle = lambda: calls.append(0.0)
        coalescer.start()
        try:
            await coalescer.submit(engine, ["a"], "ar", "en")  # the hook runs after it
            await coalescer.submit(engine, ["b"], "ar", "en")  # within idle_every: it waits
            after_batches = len(calls)
            await asyncio.sleep(0.7)  # quiet: one more run, then nothing is owed
            return after_batches, len(calls)
        finally:
            await coalescer.close()

    after_batches, in_the_end = asyncio.run(run())
    assert after_batches == 1
    assert in_the_end == 2


def test_a_model_that_served_nothing_owes_no_idle_hook() -> None:
    calls: list[float] = []

    async def run() -> None:
        coalescer = Coalescer("m", wait_ms=0)
        coalescer.idle_every = 0.05
        coalescer.on_idle = lambda: calls.append(0.0)
        coalescer.start()
        try:
            await asyncio.sleep(0.3)
        finally:
            await coalescer.close()

    asyncio.run(run())
    assert calls == []
