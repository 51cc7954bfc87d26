"""Word alignment from CTranslate2's attention, for the texts that ask, and carried
through the pipeline's rewrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from tarjama.engines.loader import load_engine
from tarjama.engines.tokenizers import piece_word_ids
from tarjama.pipeline.alignment import carry, joined, word_map

TEXTS = ["قال الرئيس إن الخطة جاهزة.", "وأضاف أن الميناء سيفتح غدا."]


def test_the_copy_model_aligns_each_word_with_itself(copy_model_dir: Path) -> None:
    engine = load_engine(copy_model_dir, device="cpu")
    first, second = engine.translate_batch(TEXTS, "ar", "en", align=[True, False])
    assert first.text == TEXTS[0]
    assert first.alignment == tuple((i, i) for i in range(5))
    assert second.alignment is None  # it did not ask


def test_asking_for_an_alignment_changes_no_translation(tiny_model_dir: Path) -> None:
    engine = load_engine(tiny_model_dir, device="cpu", beam_size=2)
    plain = engine.translate_batch(TEXTS, "ar", "en")
    aligned = engine.translate_batch(TEXTS, "ar", "en", align=[True, True])
    assert [h.text for h in aligned] == [h.text for h in plain]
    for text, hyp in zip(TEXTS, aligned, strict=True):
        assert hyp.alignment
        assert all(s < len(text.split()) and t < len(hyp.text.split()) for s, t in hyp.alignment)


def test_an_nllb_model_aligns_past_its_language_codes(tiny_nllb_dir: Path) -> None:
    engine = load_engine(tiny_nllb_dir, device="cpu", beam_size=1)
    (hyp,) = engine.translate_batch(TEXTS[:1], "ar", "en", align=[True])
    assert hyp.alignment
    assert all(s < 5 and t < len(hyp.text.split()) for s, t in hyp.alignment)


def test_pieces_map_to_words() -> None:
    assert piece_word_ids(["▁قال", "▁ال", "رئيس", "</s>"]) == [0, 1, 1, None]
    # Special tokens (a target token, a language code) belong to no word; <unk> to its own.
    assert piece_word_ids([">>ara<<", "▁", "ق", "ال", "▁x"]) == [None, 0, 0, 0, 1]
    assert piece_word_ids(["arb_Arab", "▁Erdo", "<unk>", "an", "</s>"]) == [None, 0, 0, 0, None]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("a b c", "a b c", [(0, 1), (1, 2), (2, 3)]),
        ("a «b» c", 'a "b" c', [(0, 1), (1, 2), (2, 3)]),  # a rewritten word maps 1 to 1
        ("x بوتين y", "x Vladimir Putin y", [(0, 1), (1, 3), (3, 4)]),
        ("a b c", "a c", [(0, 1), None, (1, 2)]),
    ],
)
def test_word_map(before: str, after: str, expected: list[tuple[int, int] | None]) -> None:
    assert word_map(before, after) == expected


def test_carry_and_join() -> None:
    # Engine links over "x Putin y" -> "x Putin y"; the user's sentence had بوتين.
    links = ((0, 0), (1, 1), (2, 2))
    assert (
        carry(links, word_map("x Putin y", "x بوتين y"), word_map("x Putin y", "x Putin y"))
        == links
    )
    parts = [("a b", "A B", ((0, 0), (1, 1))), ("c", "C", ((0, 0),))]
    assert joined(parts, "a b c") == ((0, 0), (1, 1), (2, 2))
    assert joined([("a b", "A B", None)], "a b") is None
    assert joined(parts, "a bc") is None  # a cut inside a word: no links rather than wrong ones
