"""Aligning a given translation (an editor's) with its source: CTranslate2 reads it as the
decoder's forced output and links words by cross-attention (``align_targets``)."""

from __future__ import annotations

from pathlib import Path

from tarjama.engines import can_align_targets
from tarjama.engines.loader import load_engine

TEXTS = ["قال الرئيس إن الخطة جاهزة.", "وأضاف أن الميناء سيفتح غدا."]


def test_the_copy_model_links_a_copied_sentence_word_for_word(copy_model_dir: Path) -> None:
    engine = load_engine(copy_model_dir, device="cpu")
    first, second = engine.align_targets(TEXTS, [TEXTS[0], ""], "ar", "en")
    assert first == tuple((i, i) for i in range(5))
    assert second is None  # nothing to read


def test_an_nllb_model_aligns_past_its_language_code(tiny_nllb_dir: Path) -> None:
    engine = load_engine(tiny_nllb_dir, device="cpu", beam_size=1)
    assert can_align_targets(engine)
    target = "The president said that the plan is ready."
    (found,) = engine.align_targets(TEXTS[:1], [target], "ar", "en")
    assert found
    assert all(s < 5 and t < len(target.split()) for s, t in found)
