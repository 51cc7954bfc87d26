"""Request coalescing: concurrent jobs share engine calls, results go back to their owners,
one failing input does not fail its neighbours, and the event loop stays free."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence

import httpx
import pytest

from tarjama.engines.base import Hypothesis
from tarjama.errors import EngineError
from tarjama.server import Registry, Settings, create_app
from tarjama.server.coalescer import CoalescedEngine, Coalescer

from .fakes import FakeEngine


class SlowEngine(FakeEngine):
    """Takes ``delay`` seconds per call, fails on "boom", and notes the thread it runs on."""

    def __init__(self, delay: float = 0.05) -> None:
        super().__init__()
        self.delay = delay
        self.threads: set[str] = set()

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, num_alternatives: int = 0
    ) -> list[Hypothesis]:
        self.threads.add(threading.current_thread().name)
        time.sleep(self.delay)
        if "boom" in texts:
            raise EngineError("boom")
        return super().translate_batch(texts, source, target, num_alternatives=num_alternatives)


async def submit_many(coalescer: Coalescer, engine: SlowEngine, n: int) -> list[list[Hypothesis]]:
    jobs = [coalescer.submit(engine, [f"s{i}", f"t{i}"], "ar", "en") for i in range(n)]
    return await asyncio.gather(*jobs)


@pytest.mark.parametrize(("enabled", "max_calls"), [(True, 3), (False, 12)])
def test_concurrent_jobs_share_calls(enabled: bool, max_calls: int) -> None:
    engine = SlowEngine()

    async def run() -> tuple[list[list[Hypothesis]], Coalescer]:
        coalescer = Coalescer("m", enabled=enabled, wait_ms=20)
        coalescer.start()
        try:
            return await submit_many(coalescer, engine, 12), coalescer
        finally:
            await coalescer.close()

    results, coalescer = asyncio.run(run())
    assert [[h.text for h in r] for r in results] == [[f"<s{i}>", f"<t{i}>"] for i in range(12)]
    assert len(engine.calls) <= max_calls
    assert coalescer.jobs == 12 and coalescer.calls == len(engine.calls)
    if not enabled:
        assert len(engine.calls) == 12
    assert engine.threads == {"engine-m_0"}  # never the event loop's thread


def test_token_cap_splits_batches() -> None:
    engine = SlowEngine(delay=0.0)

    async def run() -> None:
        coalescer = Coalescer("m", wait_ms=50, max_tokens=4)
        coalescer.start()
        try:
            await asyncio.gather(
                *(coalescer.submit(engine, [f"s{i}"], "ar", "en", tokens=2) for i in range(6))
            )
        finally:
            await coalescer.close()

    asyncio.run(run())
    assert [len(c) for c in engine.calls] == [2, 2, 2]


def test_jobs_for_different_pairs_or_alternatives_do_not_mix() -> None:
    engine = SlowEngine(delay=0.0)

    async def run() -> list[list[Hypothesis]]:
        coalescer = Coalescer("m", wait_ms=30)
        coalescer.start()
        try:
            return list(
                await asyncio.gather(
                    coalescer.submit(engine, ["a"], "ar", "en"),
                    coalescer.submit(engine, ["b"], "en", "ar"),
                    coalescer.submit(engine, ["c"], "ar", "en", alternatives=2),
                    coalescer.submit(engine, ["d"], "ar", "en"),
                )
            )
        finally:
            await coalescer.close()

    results = asyncio.run(run())
    assert sorted(engine.calls) == [["a", "d"], ["b"], ["c"]]
    assert results[2][0].alternatives == ("<c#1>", "<c#2>")


def test_a_failing_input_fails_only_its_own_request() -> None:
    engine = SlowEngine(delay=0.0)

    async def run() -> list[list[Hypothesis] | BaseException]:
        coalescer = Coalescer("m", wait_ms=30)
        coalescer.start()
        try:
            return list(
                await asyncio.gather(
                    coalescer.submit(engine, ["ok1"], "ar", "en"),
                    coalescer.submit(engine, ["boom"], "ar", "en"),
                    coalescer.submit(engine, ["ok2"], "ar", "en"),
                    return_exceptions=True,
                )
            )
        finally:
            await coalescer.close()

    first, failed, last = asyncio.run(run())
    assert isinstance(failed, EngineError)
    assert not isinstance(first, BaseException) and first[0].text == "<ok1>"
    assert not isinstance(last, BaseException) and last[0].text == "<ok2>"


def test_coalesced_engine_blocks_only_its_caller_thread() -> None:
    engine = SlowEngine(delay=0.2)

    async def run() -> tuple[list[Hypothesis], int]:
        coalescer = Coalescer("m", wait_ms=1)
        coalescer.start()
        proxy = CoalescedEngine(engine, coalescer)
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.create_task(ticker())
        try:
            hyps = await asyncio.to_thread(proxy.translate_batch, ["x"], "ar", "en")
        finally:
            task.cancel()
            await coalescer.close()
        return hyps, ticks

    hyps, ticks = asyncio.run(run())
    assert hyps[0].text == "<x>"
    assert ticks >= 10  # the loop kept running while the engine worked for 0.2 s


def test_concurrent_http_requests_share_engine_batches() -> None:
    engine = SlowEngine(delay=0.05)
    settings = Settings(batch_wait_ms=50)
    registry = Registry([engine], settings)
    app = create_app(settings, registry)

    async def run() -> list[httpx.Response]:
        await registry.start()
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                return await asyncio.gather(
                    *(
                        client.post(
                            "/translate", json={"q": f"جملة {i}", "source": "ar", "target": "en"}
                        )
                        for i in range(16)
                    )
                )
        finally:
            await registry.close()

    responses = asyncio.run(run())
    assert [r.status_code for r in responses] == [200] * 16
    texts = [r.json()["translatedText"] for r in responses]
    assert len(set(texts)) == 16  # each request got its own sentence back
    assert len(engine.calls) < 8
