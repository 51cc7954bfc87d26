"""Script detection and the text package's public names."""

from __future__ import annotations

import pytest

import tarjama.text
from tarjama.text import arabic_ratio, detect_script, script_of


@pytest.mark.parametrize(
    ("text", "lang", "confidence"),
    [
        ("أعلنت وزارة النقل", "ar", 1.0),
        ("The Ministry of Transport", "en", 1.0),
        ("ab جد", "ar", 0.5),
        ("abc جد", "en", 0.6),
        ("2023 ٣٫٥ 😀 ...", "en", 0.0),
        ("", "en", 0.0),
        ("ﻻ ﷲ", "ar", 1.0),
        ("كَتَبَ", "ar", 1.0),
    ],
)
def test_detect_script(text: str, lang: str, confidence: float) -> None:
    got_lang, got_confidence = detect_script(text)
    assert got_lang == lang
    assert got_confidence == pytest.approx(confidence)


def test_arabic_ratio_ignores_digits_marks_and_punctuation() -> None:
    assert arabic_ratio("قال: «نعم» ٣٫٥ 2023!") == 1.0
    assert arabic_ratio("!!! 123") == 0.0


def test_public_names_are_pinned() -> None:
    assert sorted(tarjama.text.__all__) == [
        "Cleaned",
        "Sentence",
        "arabic_ratio",
        "clean",
        "cut_clauses",
        "detect_script",
        "render",
        "script_of",
        "split_sentences",
    ]


@pytest.mark.parametrize(
    ("text", "script"),
    [("قال الوزير", "ar"), ("The minister", "en"), ("Putin بوتين", "ar"), ("2025 ✓", None)],
)
def test_script_of_is_the_one_rule_for_the_archive(text: str, script: str | None) -> None:
    assert script_of(text) == script
