"""A served LLM reads the newsroom's memory and glossary as the CLI's does: the hints pass
through the server's coalescer (memory matches as examples, glossary terms as required
renderings), and a batch of several requests keeps each request's own hints."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tarjama.archive import Entry, TranslationMemory
from tarjama.engines import Hints, Hypothesis, can_hint
from tarjama.server.coalescer import CoalescedEngine, Coalescer
from tarjama.workspace import Workspace

from ..fakes import FakeEngine
from ..llm_stub import Stub, romanized, serve_stub
from .conftest import MakeClient

#: In the memory, and a close match (not an exact one) of the sentence asked.
KNOWN = ("قال الرئيس إن الخطة جاهزة للتنفيذ", "The president said the plan is ready to go.")
ASKED = "قال الرئيس إن الخطة جاهزة للتنفيذ اليوم"


@pytest.fixture
def stub() -> Iterator[Stub]:
    yield from serve_stub()


def test_v1_translate_gives_the_llm_the_memory_examples_and_the_glossary_terms(
    stub: Stub, home: Path, make_client: MakeClient
) -> None:
    ws = Workspace.open(home)
    ws.add_endpoint("llm", url=stub.url, model="stub-model")
    with TranslationMemory.open(ws.memory_path, create=True) as memory:
        memory.add(Entry(*KNOWN))
    (home / "glossaries").mkdir(parents=True)
    (home / "glossaries" / "desk.tsv").write_text("الخطة\tthe roadmap\n", encoding="utf-8")
    with make_client(ws.engine("llm"), home=home) as client:
        body = client.post(
            "/v1/translate", json={"text": ASKED, "model": "llm", "glossary": "desk"}
        ).json()
    (segment,) = body["paragraphs"][0]["segments"]
    assert segment["suggestions"][0]["target"] == KNOWN[1]
    user = stub.requests[0][1]["messages"][-1]["content"]
    assert f"Earlier translations by this newsroom (follow their wording):\n{KNOWN[0]} => " in user
    assert KNOWN[1] in user
    assert "Required renderings:\nالخطة => the roadmap" in user
    assert body["text"] == romanized(ASKED).replace(romanized("الخطة"), "the roadmap")


class HintedFake(FakeEngine):
    """A fake that reads hints and notes what each call was told."""

    def __init__(self) -> None:
        super().__init__()
        self.told: list[list[Hints | None]] = []

    @property
    def hinted(self) -> bool:
        return True

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        num_alternatives: int = 0,
        hints: Sequence[Hints | None] | None = None,
    ) -> list[Hypothesis]:
        self.told.append(list(hints or []))
        return super().translate_batch(texts, source, target, num_alternatives=num_alternatives)


def test_a_shared_batch_keeps_each_requests_hints_in_order() -> None:
    engine = HintedFake()
    assert can_hint(engine) and not can_hint(CoalescedEngine(FakeEngine(), Coalescer("x")))
    first, second = Hints(examples=(("a", "A"),)), Hints(terms=(("b", "B"),))

    async def run() -> None:
        coalescer = Coalescer("m", wait_ms=50)
        coalescer.start()
        try:
            await asyncio.gather(
                coalescer.submit(engine, ["x", "y"], "ar", "en", hints=[first]),
                coalescer.submit(engine, ["z"], "ar", "en"),
                coalescer.submit(engine, ["w"], "ar", "en", hints=[second]),
            )
        finally:
            await coalescer.close()

    asyncio.run(run())
    assert engine.told == [[first, None, None, second]]
    served = CoalescedEngine(engine, Coalescer("m"))
    assert can_hint(served) and served.hinted
