"""Stages: what the pipeline runs around the engine, in order, for every segment.

A stage may *fill* segments itself (the engine then never sees them), *wrap* the text the
engine will see, and *unwrap* what the engine said. The translator runs its stages in
order for ``fill`` (the first that fills a segment wins) and ``wrap``, and in reverse for
``unwrap``, so each stage sees the engine output of its own wrapping. Filling sees runs
of consecutive open segments of one paragraph (:meth:`Stage.fill_run`), so that one
translation may cover several of them: the memory's whole paragraphs and 2-1 links. A new
stage (an LLM post-edit, a batch cache) is a class beside these, not a flag on the
translator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..archive import Entry, TranslationMemory
from ..document import Segment
from ..fidelity.glossary import Glossary, Protected
from ..formats.inline import strip_markup
from ..text import render
from ..text.render import restyle_digits
from ..text.script import letterless


@dataclass(frozen=True)
class Direction:
    """What a stage needs to know of the translation it serves."""

    source: str
    target: str
    digits: str | None = None


class Stage:
    """A stage that does nothing; subclasses fill the hooks they need."""

    name = "stage"

    def fill(self, seg: Segment, way: Direction) -> bool:
        """Translate ``seg`` without the engine; True when done."""
        return False

    def fill_run(self, run: Sequence[Segment], way: Direction) -> list[Segment]:
        """Fill what this stage can of ``run``, consecutive open segments of one paragraph;
        returns those still open. By default each segment on its own (:meth:`fill`)."""
        return [s for s in run if not self.fill(s, way)]

    def wrap(self, text: str, way: Direction) -> tuple[str, Any]:
        """The text the engine should see instead of ``text``, and state for unwrap."""
        return text, None

    def unwrap(self, text: str, state: Any, way: Direction) -> tuple[str, bool]:
        """The engine's ``text`` mended; True when this stage changed how it came to be
        (the segment's origin then names the stage: ``model+glossary``)."""
        return text, False


class MemoryStage(Stage):
    """Exact matches in the translation memory fill segments, the longest span first: the
    whole paragraph, then runs of consecutive sentences (an archive's 2-1 link is stored
    as the two sentences joined), then single sentences. A span found whole fills all its
    segments: the first holds the translation and the ``match``, the others point to it
    (``covered_by``), so no sentence is translated twice or dropped. A segment left open
    gets the close matches as ``suggestions``.

    A sentence with inline codes (``seg.markup``) is looked up by its markup first, so a
    match brings the memory's placement of the codes (``seg.target_markup``); failing
    that, by its text, and the codes are then placed by order."""

    name = "memory"
    #: Longest run of sentences tried as one entry, besides the whole paragraph.
    MAX_SPAN = 8

    def __init__(self, memory: TranslationMemory) -> None:
        self.memory = memory

    def fill(self, seg: Segment, way: Direction) -> bool:
        return not self.fill_run([seg], way)

    def fill_run(self, run: Sequence[Segment], way: Direction) -> list[Segment]:
        n = len(run)
        taken = [self._fill_markup(seg, way) for seg in run]
        spans = [
            (i, j)
            for i in range(n)
            for j in range(i + 1, n + 1)
            if j - i <= self.MAX_SPAN or (i, j) == (0, n)
        ]
        texts = {span: " ".join(s.source for s in run[span[0] : span[1]]) for span in spans}
        found = self.memory.lookup_many(set(texts.values()), way.source, way.target)
        for i, j in sorted(spans, key=lambda sp: (sp[0] - sp[1], sp[0])):
            entry = found.get(texts[i, j])
            if entry is None or any(taken[i:j]):
                continue
            _fill_span(run[i:j], entry)
            taken[i:j] = [True] * (j - i)
        still_open = [s for s, done in zip(run, taken, strict=True) if not done]
        for seg in still_open:
            seg.suggestions = [
                s.to_json() for s in self.memory.search(seg.source, way.source, way.target)
            ]
        return still_open

    def _fill_markup(self, seg: Segment, way: Direction) -> bool:
        """Fill a sentence with inline codes from the memory's entry for its markup."""
        if seg.markup is None:
            return False
        tagged = self.memory.lookup(seg.markup, way.source, way.target)
        text = strip_markup(tagged.target) if tagged is not None else None
        if tagged is None or text is None:
            return False
        _fill_span([seg], tagged)
        seg.translation, seg.target_markup = text, tagged.target
        return True


def _fill_span(segments: Sequence[Segment], entry: Entry) -> None:
    first = segments[0]
    for seg in segments:
        seg.translation, seg.score, seg.origin = "", None, "memory"
        seg.covered_by = first.index if seg is not first else None
    first.translation = entry.target
    first.match = {
        "segments": [s.index for s in segments],
        "source": entry.source,
        "origin": entry.origin,
        "author": entry.author,
        "context": entry.context,
        "created": entry.created,
    }


class GlossaryStage(Stage):
    """Glossary terms written inline in the target language before the engine, verified and
    repaired after it; a segment that is one term is filled from the glossary."""

    name = "glossary"

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary

    def fill(self, seg: Segment, way: Direction) -> bool:
        """A caption or a name alone, keeping its punctuation ("«البحر الأحمر»." ->
        '"Red Sea".')."""
        term = self.glossary.whole(seg.normalized, way.source)
        if term is None or not term.text(way.target):
            return False
        filled, _ = self.glossary.protect(seg.normalized, way.source, way.target)
        seg.translation = render(filled, way.target, digits=way.digits)
        seg.score, seg.origin = None, "glossary"
        return True

    def wrap(self, text: str, way: Direction) -> tuple[str, list[Protected]]:
        return self.glossary.protect(text, way.source, way.target)

    def unwrap(self, text: str, state: Any, way: Direction) -> tuple[str, bool]:
        terms: list[Protected] = state
        if not terms:
            return text, False
        restored, _ = self.glossary.restore(text, terms)
        return restored, True


class LetterlessStage(Stage):
    """A segment with nothing to translate (digits, symbols, URLs, e-mail addresses, codes:
    :func:`~tarjama.text.script.letterless`) is copied with its numbers in the target's
    digits; a model may turn ``45`` into a word. The translator runs this stage first, for
    every format and every face, and it is not among :attr:`Translator.stages`."""

    name = "copy"

    def fill(self, seg: Segment, way: Direction) -> bool:
        if not letterless(seg.normalized):
            return False
        seg.translation = restyle_digits(seg.normalized, way.target, digits=way.digits)
        seg.score, seg.origin = None, self.name
        words = len(seg.source.split())
        if words == len(seg.translation.split()):  # word for word, for inline codes
            seg.alignment = tuple((i, i) for i in range(words))
        return True


#: A translation made earlier: the text, the model's score, the segment's origin.
Known = tuple[str, float | None, str]


class KnownStage(Stage):
    """Sentences translated earlier by this same pipeline fill their segments as they came
    out then (translation, score, origin): a batch job translates a sentence that recurs
    across its pools once, and every later occurrence is filled from here."""

    name = "known"

    def __init__(self, known: Mapping[str, Known]) -> None:
        self.known = known

    def fill(self, seg: Segment, way: Direction) -> bool:
        hit = self.known.get(seg.normalized)
        if hit is None:
            return False
        seg.translation, seg.score, seg.origin = hit
        return True
