"""Measured splitting accuracy: the test articles' gold splits and FLORES (issue B)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tarjama.text.accuracy import flores_figures, gold_mismatches

from ..conftest import ARTICLE_GOLD, ARTICLES, FLORES, SAMPLES


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_test_article_reproduces_its_hand_marked_split(lang: str) -> None:
    gold = json.loads(ARTICLE_GOLD.read_text(encoding="utf-8"))
    paragraphs = _lines(ARTICLES / f"water-plant.{lang}.txt")
    assert gold_mismatches(paragraphs, gold[lang], lang) == []


@pytest.mark.needs_data
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_sample_article_reproduces_the_gold_split(lang: str) -> None:
    gold = json.loads((SAMPLES / "port-expansion.sentences.json").read_text(encoding="utf-8"))
    paragraphs = _lines(SAMPLES / f"port-expansion.{lang}.txt")
    assert gold_mismatches(paragraphs, gold[lang], lang) == []


@pytest.mark.needs_data
def test_flores_figures_meet_the_targets() -> None:
    figures = flores_figures(_lines(FLORES / "flores-test.ar"), _lines(FLORES / "flores-test.en"))
    assert figures.boundaries == 809  # 1012 lines in groups of 5
    assert figures.recall >= 0.99, [m.text for m in figures.missed_boundaries]
    assert figures.kept_whole_ratio >= 0.99, [m.sentences for m in figures.split_lines]


def test_gold_mismatch_reports_the_difference() -> None:
    (miss,) = gold_mismatches(["One. Two."], [["One. Two."]], "en")
    assert (miss.paragraph, miss.expected, miss.got) == (0, ["One. Two."], ["One.", "Two."])


def test_flores_figures_count_misses_on_a_toy_corpus() -> None:
    lines = ["First line without a stop", "Second line. It goes on.", "Third one."]
    reference = ["First line", "Second line goes on.", "Third one."]
    figures = flores_figures(lines, reference, "en", "en", group=3)
    assert (figures.boundaries, figures.found) == (2, 1)
    assert [m.line for m in figures.missed_boundaries] == [0]
    assert (figures.single_lines, figures.kept_whole) == (3, 2)
    # The sentences around a miss are listed as the splitter made them.
    assert [m.sentences for m in figures.split_lines] == [
        ["First line without a stop Second line.", "It goes on."]
    ]


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        flores_figures(["a"], [], "en")
    with pytest.raises(ValueError):
        gold_mismatches(["a"], [], "en")
