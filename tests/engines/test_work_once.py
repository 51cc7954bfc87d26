"""Work done once: a text is tokenized once on its way to the model (pipeline, coalescer,
engine), the transliterator's cache is safe to share between threads, and a signature is
one value from the engine to the API, the journal and the cache."""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tarjama.document import TranslatedDocument
from tarjama.engines import Carry, Hypothesis, Signature
from tarjama.engines import characters as characters_module
from tarjama.engines.characters import Transliterator
from tarjama.engines.ct2 import CTranslate2Engine
from tarjama.engines.loader import load_engine
from tarjama.errors import InputError
from tarjama.pipeline import Translator
from tarjama.server.coalescer import CoalescedEngine

from ..coalescing import running_coalescer
from ..fakes import FakeEngine

TEXTS = ["قال الرئيس إن الخطة جاهزة.", "وأضاف أن الميناء سيفتح غدا.", "قال الرئيس إن الخطة جاهزة."]


@pytest.fixture
def encoded(
    tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[CTranslate2Engine, Counter[str]]]:
    """The tiny model, counting each text its tokenizer encodes."""
    engine = load_engine(tiny_model_dir, device="cpu", threads=1)
    seen: Counter[str] = Counter()
    real = engine.tokenizer.encode_many

    def spy(texts: Sequence[str], source: str, target: str) -> list[list[list[str]]]:
        seen.update(texts)
        return real(texts, source, target)

    monkeypatch.setattr(engine.tokenizer, "encode_many", spy)
    yield engine, seen


def test_the_pipeline_tokenizes_each_text_once(
    encoded: tuple[CTranslate2Engine, Counter[str]],
) -> None:
    engine, seen = encoded
    hyps = Translator(engine).translate_units(TEXTS)
    assert hyps[0].text and hyps[0] == hyps[2]
    assert seen == Counter(set(TEXTS))  # counted to cut, then decoded: tokenized once
    assert len(engine._units) == 0  # what was counted went with the text to the model


def test_through_the_coalescer_each_text_is_still_tokenized_once(
    encoded: tuple[CTranslate2Engine, Counter[str]],
) -> None:
    engine, seen = encoded
    with running_coalescer(engine.name) as coalescer:
        hyps = Translator(CoalescedEngine(engine, coalescer)).translate_units(TEXTS)
    # Counted by the pipeline, again by the coalescer for its batch, then decoded.
    assert seen == Counter(set(TEXTS))
    assert [h.text for h in hyps] == [h.text for h in Translator(engine).translate_units(TEXTS)]


def test_the_carry_is_bounded_by_the_tokens_it_holds() -> None:
    made: list[str] = []

    def make(texts: list[str], source: str) -> list[list[str]]:
        made.extend(texts)
        return [t.split() for t in texts]

    carry = Carry(make, len, limit=10)
    assert carry.peek(["a b c", "d e"], "ar") == [["a", "b", "c"], ["d", "e"]]
    assert carry.peek(["a b c"], "ar") == [["a", "b", "c"]] and made == ["a b c", "d e"]
    carry.peek(["f g h i j k"], "ar")  # 3 + 2 + 6 tokens: the oldest goes
    assert len(carry) == 2
    assert carry.take(["f g h i j k", "x"], "ar") == [list("fghijk"), ["x"]]
    assert len(carry) == 1 and made[-1] == "x"  # "x" was made, not kept
    assert carry.take(["a b c"], "ar") == [["a", "b", "c"]] and made[-1] == "a b c"
    assert carry.peek(["d e"], "en") == [["d", "e"]] and made[-1] == "d e"  # by language


class SlowEngine(FakeEngine):
    """A fake that takes a moment per call, as a model does: other threads run meanwhile."""

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, num_alternatives: int = 0
    ) -> list[Hypothesis]:
        time.sleep(0.002)
        return super().translate_batch(texts, source, target)


def test_threads_sharing_a_transliterator_never_get_an_empty_spelling(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A small cache fills and clears all the time; a thread whose words another thread
    cleared while it waited for the model still answers each of them."""
    monkeypatch.setattr(characters_module, "_CACHE_LIMIT", 6)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        translit = Transliterator(SlowEngine())
        words = [f"كلمة{k}" for k in range(8)]
        empty: list[str] = []
        barrier = threading.Barrier(8)

        def work(k: int) -> None:
            barrier.wait()
            for round_ in range(40):
                chosen = [words[(k + round_ + j) % len(words)] for j in range(4)]
                got = translit.transliterate(chosen)
                empty.extend(w for w, g in zip(chosen, got, strict=True) if not g)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        sys.setswitchinterval(interval)
    assert not any(t.is_alive() for t in threads)
    assert empty == []
    assert translit.transliterate(words[:2]) == [f"<{w}>" for w in words[:2]]


# -- the signature -------------------------------------------------------------------------


def test_a_signature_writes_the_documented_json_and_the_journal_line() -> None:
    sig = Signature.of("opus", model_id="abc", tokenizer="t1", beam=4, max_decoding="2n+10")
    assert list(sig.to_json().items()) == [
        ("model", "opus"),
        ("model_id", "abc"),
        ("tokenizer", "t1"),
        ("beam", 4),
        ("max_decoding", "2n+10"),
    ]
    # The text a batch journal has always recorded (old journals read the same).
    assert sig.to_text() == "model:opus|model_id:abc|tokenizer:t1|beam:4|max_decoding:2n+10"
    stamped = Translator(FakeEngine()).signature
    assert stamped.tarjama and stamped.to_json()["tarjama"] == stamped.tarjama
    assert stamped != FakeEngine().signature  # the version is part of what output depends on
    assert Signature.from_json(stamped.to_json()) == stamped
    assert sig.setting("beam") == 4 and sig.setting("temperature") is None


def test_signatures_key_dicts_and_come_back_from_json() -> None:
    a = Signature.of("m", beam=4)
    b = Signature.of("m", beam=4)
    c = Signature.of("m", beam=2)
    assert {a: 1, b: 2, c: 3} == {a: 2, c: 3}
    assert Signature.from_json(c.to_json()) == c
    bad_ones: list[object] = [[], {"beam": 4}, {"model": 1}, {"model": "m", "beam": [4]}]
    for bad in bad_ones:
        with pytest.raises(InputError):
            Signature.from_json(bad)


def test_a_document_writes_its_model_as_the_api_always_has() -> None:
    sig = Translator(FakeEngine()).signature
    model = TranslatedDocument(paragraphs=[], model=sig).to_json()["model"]
    assert model == {"name": "fake", "signature": sig.to_json(), "signature_text": sig.to_text()}
    assert TranslatedDocument(paragraphs=[]).to_json()["model"] == {}
