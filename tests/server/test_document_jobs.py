"""Document jobs: their sentences reach the engine in chunks through the document lane,
small requests go first, a deadline answers 503 naming ``--document-timeout``, and a
stopped job queues nothing more (:mod:`tarjama.server.jobs`)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence

import pytest

from tarjama.engines import Hypothesis
from tarjama.errors import EngineError
from tarjama.server.coalescer import CoalescedEngine, Coalescer
from tarjama.server.jobs import CURRENT, JobToken

from ..fakes import FakeEngine
from .conftest import MakeClient
from .test_coalescer import GatedEngine, until

#: Twelve one-sentence paragraphs of four words each.
ARTICLE = "\n".join(f"هذه الجملة رقم {k}." for k in range(1, 13))


class SlowEngine(FakeEngine):
    """Takes ``per_text`` seconds for each text of a call (a model's cost grows with it);
    ``begun`` has the texts of each call as it starts (``calls`` as it ends)."""

    def __init__(self, per_text: float) -> None:
        super().__init__()
        self.per_text = per_text
        self.lock = threading.Lock()
        self.begun: list[int] = []

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, num_alternatives: int = 0
    ) -> list[Hypothesis]:
        self.begun.append(len(texts))
        time.sleep(self.per_text * len(texts))
        with self.lock:
            return super().translate_batch(texts, source, target, num_alternatives=num_alternatives)


def test_a_document_reaches_the_engine_in_chunks_with_the_same_result(
    make_client: MakeClient,
) -> None:
    whole, chunked = FakeEngine(), FakeEngine()
    with make_client(whole, document_batch_tokens=100_000) as client:
        one = client.post("/v1/translate", json={"text": ARTICLE, "source": "ar"})
    with make_client(chunked, document_batch_tokens=10) as client:
        many = client.post("/v1/translate", json={"text": ARTICLE, "source": "ar"})
    assert one.status_code == many.status_code == 200
    assert one.json() == many.json()
    assert len(whole.calls) == 1 and len(whole.calls[0]) == 12
    # 12 sentences of 4 words (the fake counts words), at most 10 tokens a chunk: 6 calls.
    assert [len(c) for c in chunked.calls] == [2] * 6
    assert [t for c in chunked.calls for t in c] == whole.calls[0]


def test_a_long_list_of_q_is_chunked_like_a_document_and_a_short_one_is_not(
    make_client: MakeClient,
) -> None:
    engine = FakeEngine()
    items = [f"هذه الجملة رقم {k}." for k in range(1, 13)]
    with make_client(engine, document_batch_tokens=10) as client:
        long = client.post("/translate", json={"q": items, "source": "ar", "target": "en"})
        short = client.post("/translate", json={"q": items[:2], "source": "ar", "target": "en"})
    assert long.status_code == short.status_code == 200
    assert long.json()["translatedText"][:2] == short.json()["translatedText"]
    assert [len(c) for c in engine.calls] == [2] * 6 + [2]  # six chunks, then one call


async def _order(first_is_document: bool) -> list[str]:
    """The order in which a document chunk and a small request, both queued while the engine
    is busy with ``gate`` (a chunk or a small request), reach the engine."""
    engine = GatedEngine()
    coalescer = Coalescer("m", wait_ms=0)
    coalescer.start()
    try:
        gate = asyncio.ensure_future(
            coalescer.submit(engine, ["gate"], "ar", "en", document=first_is_document)
        )
        await asyncio.to_thread(engine.started.wait, 30)
        chunk = asyncio.ensure_future(
            coalescer.submit(engine, ["chunk"], "ar", "en", document=True)
        )
        small = asyncio.ensure_future(coalescer.submit(engine, ["small"], "ar", "en"))
        await until(lambda: coalescer.pending >= 2)
        engine.release()
        await asyncio.gather(gate, chunk, small)
    finally:
        await coalescer.close()
    return [c[0] for c in engine.calls]


def test_a_small_request_goes_before_a_waiting_document_chunk() -> None:
    assert asyncio.run(_order(first_is_document=True)) == ["gate", "small", "chunk"]


def test_a_waiting_chunk_goes_before_a_second_small_batch_in_a_row() -> None:
    assert asyncio.run(_order(first_is_document=False)) == ["gate", "chunk", "small"]


def test_a_stopped_job_queues_no_more_chunks() -> None:
    engine = FakeEngine()
    token = JobToken(60)

    async def main() -> None:
        coalescer = Coalescer("m", wait_ms=0, chunk_tokens=1)
        coalescer.start()
        batched = CoalescedEngine(engine, coalescer)
        seen = 0
        original = engine.translate_batch

        def counting(texts: Sequence[str], source: str, target: str, **kw: int) -> list[Hypothesis]:
            nonlocal seen
            seen += 1
            if seen == 3:
                token.stop("the client went away")
            return original(texts, source, target, **kw)

        engine.translate_batch = counting  # type: ignore[method-assign]

        def run() -> None:
            CURRENT.set(token)
            batched.translate_batch([f"w{k}" for k in range(20)], "ar", "en")

        with pytest.raises(EngineError, match="went away"):
            await asyncio.to_thread(run)
        await coalescer.close()

    asyncio.run(main())
    assert len(engine.calls) == 3  # 20 one-token texts, a chunk each: stopped after the third


@pytest.mark.timing
def test_an_expired_document_answers_503_and_stops_using_the_engine(
    make_client: MakeClient,
) -> None:
    engine = SlowEngine(per_text=0.05)
    text = "\n".join(f"هذه الجملة رقم {k}." for k in range(200))  # 10 s of engine
    with make_client(engine, document_timeout=0.5, document_batch_tokens=8) as client:
        started = time.monotonic()
        r = client.post("/v1/translate", json={"text": text, "source": "ar"})
        elapsed = time.monotonic() - started
        assert r.status_code == 503
        assert "--document-timeout" in r.json()["error"]
        assert elapsed < 2.0
        time.sleep(0.3)  # the chunk being decoded when the deadline passed ends
        begun = sum(engine.begun)
        time.sleep(0.5)
        assert sum(engine.begun) == begun  # nothing more reached the engine
        assert begun <= 24  # 0.5 s of two-sentence chunks and the one running, of 200
        small = client.post("/translate", json={"q": "نص", "source": "ar", "target": "en"})
        assert small.status_code == 200  # the server still answers


@pytest.mark.timing
def test_translate_answers_while_a_document_runs(make_client: MakeClient) -> None:
    engine = SlowEngine(per_text=0.01)
    text = "\n".join(f"هذه الجملة رقم {k}." for k in range(400))  # 4 s of engine
    with make_client(engine, document_batch_tokens=40) as client:
        done: list[int] = []
        document = threading.Thread(
            target=lambda: done.append(
                client.post("/v1/translate", json={"text": text, "source": "ar"}).status_code
            )
        )
        document.start()
        while not engine.begun:  # the document is decoding
            time.sleep(0.01)
        waits = []
        for k in range(5):
            started = time.monotonic()
            r = client.post("/translate", json={"q": f"نص {k}", "source": "ar", "target": "en"})
            waits.append(time.monotonic() - started)
            assert r.status_code == 200
        running = document.is_alive()
        document.join(30)
    assert done == [200]
    assert running, "the document ended before the small requests: nothing was measured"
    # A chunk of ten sentences is 0.1 s: a small request waits for one, not for the 4 s.
    assert max(waits) < 1.0, waits
