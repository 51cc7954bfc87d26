"""An engine with a batch store keeps each batch it decodes there, and takes a batch found
there back instead of decoding it: the same hypotheses, scores and alignments, exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from tarjama.engines import Hypothesis, can_store, ct2
from tarjama.engines.loader import load_engine

from ..conftest import corpus
from ..fakes import FakeEngine


class DictStore:
    def __init__(self) -> None:
        self.kept: dict[bytes, tuple[bytes, int]] = {}
        self.hits = 0

    def get(self, key: bytes) -> bytes | None:
        found = self.kept.get(key)
        self.hits += found is not None
        return None if found is None else found[0]

    def put(self, key: bytes, value: bytes, rows: int) -> None:
        self.kept[key] = (value, rows)


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every batch the engine really decodes; batches of a few sentences."""
    monkeypatch.setattr(ct2, "MAX_BATCH_TOKENS", 96)
    calls: list[int] = []
    original = ct2.CTranslate2Engine._decode

    def counting(engine: ct2.CTranslate2Engine, units: list[list[str]], *rest: object) -> object:
        calls.append(len(units))
        return original(engine, units, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(ct2.CTranslate2Engine, "_decode", counting)
    return calls


def sentences() -> list[str]:
    return [s for p in corpus("ar") for s in p.split(". ") if s][:24]


def full(hyps: list[Hypothesis]) -> list[tuple[object, ...]]:
    return [(h.text, h.score, h.alternatives, h.alignment) for h in hyps]


def test_batches_come_back_from_the_store_exactly(tiny_model_dir: Path, decoded: list[int]) -> None:
    texts = sentences()
    align = [i % 3 == 0 for i in range(len(texts))]
    store = DictStore()
    engine = load_engine(tiny_model_dir, device="cpu", beam_size=2)
    assert can_store(engine) and not can_store(FakeEngine())
    first = engine.with_batch_store(store).translate_batch(texts, "ar", "en", align=align)
    assert len(decoded) > 3  # several batches, each kept
    assert len(store.kept) == len(decoded)
    assert sum(rows for _, rows in store.kept.values()) == len(texts)
    assert any(h.alignment for h in first)

    # Another engine over the same store (a resumed job) decodes nothing and gives the
    # same hypotheses, to the last bit of each score.
    again = load_engine(tiny_model_dir, device="cpu", beam_size=2).with_batch_store(store)
    before = len(decoded)
    second = again.translate_batch(texts, "ar", "en", align=align)
    assert len(decoded) == before and store.hits == before
    assert full(second) == full(first)
    assert full(first) == full(engine.translate_batch(texts, "ar", "en", align=align))


def test_a_batch_is_kept_under_its_inputs_and_settings(
    tiny_model_dir: Path, decoded: list[int]
) -> None:
    texts = sentences()[:6]
    store = DictStore()
    engine = load_engine(tiny_model_dir, device="cpu", beam_size=2)
    engine.with_batch_store(store).translate_batch(texts, "ar", "en")
    kept = len(store.kept)
    # Another beam, alternatives or other sentences are other batches: decoded, not taken.
    engine.with_beam(1).with_batch_store(store).translate_batch(texts, "ar", "en")
    engine.with_batch_store(store).translate_batch(texts, "ar", "en", num_alternatives=1)
    engine.with_batch_store(store).translate_batch(sentences()[6:12], "ar", "en")
    assert store.hits == 0
    assert len(store.kept) == len(decoded) > 3 * kept
    # Without a store nothing is kept or taken.
    engine.translate_batch(texts, "ar", "en")
    assert store.hits == 0 and len(store.kept) == len(decoded) - kept
