"""Stages: what the pipeline runs around the engine, in order, for every segment.

A stage may *fill* a segment itself (the engine then never sees it), *wrap* the text the
engine will see, and *unwrap* what the engine said. The translator runs its stages in
order for ``fill`` (the first that fills a segment wins) and ``wrap``, and in reverse for
``unwrap``, so each stage sees the engine output of its own wrapping. A new stage (an LLM
post-edit, a batch cache) is a class beside these, not a flag on the translator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..archive import TranslationMemory
from ..document import Segment
from ..fidelity.glossary import Glossary, Protected
from ..text import render


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

    def wrap(self, text: str, way: Direction) -> tuple[str, Any]:
        """The text the engine should see instead of ``text``, and state for unwrap."""
        return text, None

    def unwrap(self, text: str, state: Any, way: Direction) -> tuple[str, bool]:
        """The engine's ``text`` mended; True when this stage changed how it came to be
        (the segment's origin then names the stage: ``model+glossary``)."""
        return text, False


class MemoryStage(Stage):
    """An exact match in the translation memory fills the segment; otherwise its close
    matches ride along as ``suggestions``."""

    name = "memory"

    def __init__(self, memory: TranslationMemory) -> None:
        self.memory = memory

    def fill(self, seg: Segment, way: Direction) -> bool:
        exact = self.memory.lookup(seg.source, way.source, way.target)
        if exact is not None:
            seg.translation, seg.score, seg.origin = exact.target, None, "memory"
            return True
        found = self.memory.search(seg.source, way.source, way.target)
        seg.suggestions = [s.to_json() for s in found]
        return False


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
