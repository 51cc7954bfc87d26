"""Measuring the sentence splitter against reference data (used by tests and scripts).

Two measures, both from issue B:

* :func:`gold_mismatches`: paragraphs whose split differs from a gold split;
* :func:`flores_figures`: on a line-aligned corpus (one sentence-ish line per row, e.g.
  FLORES), lines are joined ``group`` at a time into paragraphs; *recall* is the share of
  line boundaries inside a paragraph that the splitter finds, and *kept whole* is the share
  of lines whose aligned reference line is a single sentence (per the reference language's
  splitter) that the splitter leaves unsplit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .split import split_sentences


@dataclass(frozen=True)
class Mismatch:
    paragraph: int
    expected: list[str]
    got: list[str]


def gold_mismatches(
    paragraphs: Sequence[str], gold: Sequence[Sequence[str]], lang: str
) -> list[Mismatch]:
    """Paragraphs whose sentences differ from ``gold`` (same order, same count)."""
    if len(paragraphs) != len(gold):
        raise ValueError(f"{len(paragraphs)} paragraphs but {len(gold)} gold entries")
    out = []
    for i, (text, expected) in enumerate(zip(paragraphs, gold, strict=True)):
        got = [s.text for s in split_sentences(text, lang)]
        if got != list(expected):
            out.append(Mismatch(i, list(expected), got))
    return out


@dataclass(frozen=True)
class Miss:
    """A line where the splitter went wrong, with the sentences it made around it."""

    line: int
    text: str
    sentences: list[str]


@dataclass
class FloresFigures:
    boundaries: int = 0
    found: int = 0
    single_lines: int = 0
    kept_whole: int = 0
    missed_boundaries: list[Miss] = field(default_factory=list)
    split_lines: list[Miss] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.boundaries if self.boundaries else 1.0

    @property
    def kept_whole_ratio(self) -> float:
        return self.kept_whole / self.single_lines if self.single_lines else 1.0


def flores_figures(
    lines: Sequence[str],
    reference: Sequence[str],
    lang: str = "ar",
    reference_lang: str = "en",
    *,
    group: int = 5,
) -> FloresFigures:
    """Boundary recall and kept-whole share of ``lines`` joined ``group`` at a time."""
    if len(lines) != len(reference):
        raise ValueError(f"{len(lines)} lines but {len(reference)} reference lines")
    figures = FloresFigures()
    for first in range(0, len(lines), group):
        rows = [line.strip() for line in lines[first : first + group]]
        spans = []
        pos = 0
        for row in rows:
            spans.append((pos, pos + len(row)))
            pos += len(row) + 1
        paragraph = " ".join(rows)
        sentences = split_sentences(paragraph, lang)
        ends = {s.end for s in sentences}
        for n, (start, end) in enumerate(spans):
            index = first + n
            around = [s.text for s in sentences if s.end > start and s.start < end]
            if n < len(spans) - 1:
                figures.boundaries += 1
                if end in ends:
                    figures.found += 1
                else:
                    figures.missed_boundaries.append(Miss(index, rows[n], around))
            if len(split_sentences(reference[index], reference_lang)) == 1:
                figures.single_lines += 1
                if any(start < e < end for e in ends):
                    figures.split_lines.append(Miss(index, rows[n], around))
                else:
                    figures.kept_whole += 1
    return figures
