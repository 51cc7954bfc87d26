"""Request coalescing: concurrent jobs share engine calls, results go back to their owners,
one failing input does not fail its neighbours, and the event loop stays free.

No test here depends on how long anything takes: a gated engine holds its first call
until the test has queued what it wants batched, so batches are formed deterministically.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Sequence
from typing import TypeVar

import httpx
import pytest

from tarjama.engines import Hypothesis
from tarjama.errors import EngineError
from tarjama.server import Registry, Settings, create_app
from tarjama.server.coalescer import CoalescedEngine, Coalescer

from ..fakes import FakeEngine

T = TypeVar("T")


class GatedEngine(FakeEngine):
    """Holds every call on "gate" until ``release()``; fails on "boom"; notes its threads."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[int] = set()
        self.started = threading.Event()
        self._open = threading.Event()

    def release(self) -> None:
        self._open.set()

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, num_alternatives: int = 0
    ) -> list[Hypothesis]:
        self.threads.add(threading.get_ident())
        if "gate" in texts:
            self.started.set()
            assert self._open.wait(30), "the test never released the gate"
        if "boom" in texts:
            self.calls.append(list(texts))
            raise EngineError("boom")
        return super().translate_batch(texts, source, target, num_alternatives=num_alternatives)


async def until(condition: object) -> None:
    """Yield to the loop until ``condition()`` holds (no clock involved)."""
    assert callable(condition)
    while not condition():
        await asyncio.sleep(0)


async def behind_gate(
    coalescer: Coalescer, engine: GatedEngine, jobs: Sequence[Awaitable[T]], queued: int
) -> list[T]:
    """Occupy the engine with a gate job, queue ``jobs`` behind it, then let it go."""
    gate = asyncio.ensure_future(coalescer.submit(engine, ["gate"], "ar", "en"))
    await asyncio.to_thread(engine.started.wait, 30)
    tasks = [asyncio.ensure_future(j) for j in jobs]
    await until(lambda: coalescer.pending >= queued)
    engine.release()
    await gate
    return list(await asyncio.gather(*tasks, return_exceptions=True))  # type: ignore[arg-type]


@pytest.mark.parametrize(("enabled", "calls"), [(True, 2), (False, 13)])
def test_queued_jobs_share_one_call(enabled: bool, calls: int) -> None:
    engine = GatedEngine()

    async def run() -> tuple[list[list[Hypothesis]], Coalescer, int]:
        coalescer = Coalescer("m", enabled=enabled, wait_ms=0)
        coalescer.start()
        try:
            jobs = [coalescer.submit(engine, [f"s{i}", f"t{i}"], "ar", "en") for i in range(12)]
            return await behind_gate(coalescer, engine, jobs, 12), coalescer, threading.get_ident()
        finally:
            await coalescer.close()

    results, coalescer, loop_thread = asyncio.run(run())
    assert [[h.text for h in r] for r in results] == [[f"<s{i}>", f"<t{i}>"] for i in range(12)]
    assert len(engine.calls) == calls  # the gate's call, then one batch (or one per job)
    assert coalescer.jobs == 13 and coalescer.calls == len(engine.calls)
    # Every call ran on the model's one worker thread, never the event loop's.
    assert len(engine.threads) == 1 and loop_thread not in engine.threads


def test_token_cap_splits_batches() -> None:
    engine = GatedEngine()

    async def run() -> None:
        coalescer = Coalescer("m", wait_ms=0, max_tokens=4)
        coalescer.start()
        try:
            jobs = [coalescer.submit(engine, [f"s{i}"], "ar", "en", tokens=2) for i in range(6)]
            await behind_gate(coalescer, engine, jobs, 6)
        finally:
            await coalescer.close()

    asyncio.run(run())
    assert [len(c) for c in engine.calls] == [1, 2, 2, 2]


def test_the_window_waits_for_company_and_closes_at_the_token_cap() -> None:
    """A minute-long window still closes at once when the batch is full."""
    engine = GatedEngine()

    async def run() -> None:
        coalescer = Coalescer("m", wait_ms=60_000, max_tokens=4)
        coalescer.start()
        try:
            first = asyncio.ensure_future(coalescer.submit(engine, ["a"], "ar", "en", tokens=2))
            await asyncio.sleep(0)
            second = coalescer.submit(engine, ["b"], "ar", "en", tokens=2)
            await asyncio.wait_for(asyncio.gather(first, second), 30)
        finally:
            await coalescer.close()

    asyncio.run(run())
    assert engine.calls == [["a", "b"]]


def test_jobs_for_different_pairs_or_alternatives_do_not_mix() -> None:
    engine = GatedEngine()

    async def run() -> list[list[Hypothesis]]:
        coalescer = Coalescer("m", wait_ms=0)
        coalescer.start()
        try:
            jobs = [
                coalescer.submit(engine, ["a"], "ar", "en"),
                coalescer.submit(engine, ["b"], "en", "ar"),
                coalescer.submit(engine, ["c"], "ar", "en", alternatives=2),
                coalescer.submit(engine, ["d"], "ar", "en"),
            ]
            return await behind_gate(coalescer, engine, jobs, 4)
        finally:
            await coalescer.close()

    results = asyncio.run(run())
    assert sorted(engine.calls[1:]) == [["a", "d"], ["b"], ["c"]]
    assert results[2][0].alternatives == ("<c#1>", "<c#2>")


def test_a_failing_input_fails_only_its_own_request() -> None:
    engine = GatedEngine()

    async def run() -> list[list[Hypothesis] | BaseException]:
        coalescer = Coalescer("m", wait_ms=0)
        coalescer.start()
        try:
            jobs = [
                coalescer.submit(engine, ["ok1"], "ar", "en"),
                coalescer.submit(engine, ["boom"], "ar", "en"),
                coalescer.submit(engine, ["ok2"], "ar", "en"),
            ]
            return await behind_gate(coalescer, engine, jobs, 3)
        finally:
            await coalescer.close()

    first, failed, last = asyncio.run(run())
    assert isinstance(failed, EngineError)
    assert not isinstance(first, BaseException) and first[0].text == "<ok1>"
    assert not isinstance(last, BaseException) and last[0].text == "<ok2>"
    assert ["ok1", "boom", "ok2"] in engine.calls  # they were one batch, then retried alone


def test_coalesced_engine_blocks_only_its_caller_thread() -> None:
    """While the engine works, the event loop keeps running: a coroutine that can only
    resume on the loop releases the engine's call."""
    engine = GatedEngine()

    async def run() -> list[Hypothesis]:
        coalescer = Coalescer("m", wait_ms=0)
        coalescer.start()
        proxy = CoalescedEngine(engine, coalescer)

        async def release_from_the_loop() -> None:
            await asyncio.to_thread(engine.started.wait, 30)
            engine.release()  # runs on the loop's thread, while the engine waits

        try:
            hyps, _ = await asyncio.gather(
                asyncio.to_thread(proxy.translate_batch, ["gate"], "ar", "en"),
                release_from_the_loop(),
            )
        finally:
            await coalescer.close()
        return hyps

    assert asyncio.run(run())[0].text == "<gate>"


def test_concurrent_http_requests_share_engine_batches() -> None:
    engine = GatedEngine()
    settings = Settings(batch_wait_ms=0)
    registry = Registry([engine], settings)
    app = create_app(settings, registry)
    coalescer = registry.models[0].coalescer

    async def run() -> list[httpx.Response]:
        await registry.start()
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                gate = asyncio.ensure_future(
                    client.post("/translate", json={"q": "gate", "source": "ar", "target": "en"})
                )
                await asyncio.to_thread(engine.started.wait, 30)
                requests = [
                    asyncio.ensure_future(
                        client.post(
                            "/translate", json={"q": f"جملة {i}", "source": "ar", "target": "en"}
                        )
                    )
                    for i in range(16)
                ]
                await until(lambda: coalescer.pending >= 16)
                engine.release()
                await gate
                return list(await asyncio.gather(*requests))
        finally:
            await registry.close()

    responses = asyncio.run(run())
    assert [r.status_code for r in responses] == [200] * 16
    texts = [r.json()["translatedText"] for r in responses]
    assert len(set(texts)) == 16  # each request got its own sentence back
    assert len(engine.calls) == 2  # the gate's call, then all sixteen at once
