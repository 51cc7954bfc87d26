"""Stages: memory and glossary run as objects around the engine, in every way of
translating, and a new stage joins without touching the others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tarjama.archive import Entry, TranslationMemory
from tarjama.document import Segment
from tarjama.fidelity.glossary import Glossary, Term
from tarjama.pipeline import Direction, GlossaryStage, KnownStage, MemoryStage, Stage, Translator

from ..fakes import FakeEngine

GLOSSARY = Glossary([Term("بوتين", "Putin")])
KNOWN = "وصل الوفد إلى الرياض."


def test_memory_and_glossary_are_stages_in_order(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "tm.sqlite", create=True) as tm:
        t = Translator(FakeEngine(), glossary=GLOSSARY, memory=tm)
        assert [type(s) for s in t.stages] == [MemoryStage, GlossaryStage]
    assert Translator(FakeEngine()).stages == []


def test_translate_applies_the_memory_and_the_glossary(tmp_path: Path) -> None:
    engine = FakeEngine()
    with TranslationMemory(tmp_path / "tm.sqlite", create=True) as tm:
        tm.add(Entry(KNOWN, "The delegation arrived in Riyadh."))
        t = Translator(engine, glossary=GLOSSARY, memory=tm)
        out = t.translate([KNOWN, "قال بوتين."])
    assert out[0] == "The delegation arrived in Riyadh."  # from the memory
    assert out[1] == "<قال Putin.>"  # the glossary wrote the term inline
    assert engine.calls == [["قال Putin."]]  # the memory's sentence never reached it


def test_translate_texts_applies_the_stages_to_best_and_alternatives(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "tm.sqlite", create=True) as tm:
        tm.add(Entry(KNOWN, "The delegation arrived."))
        t = Translator(FakeEngine(), glossary=GLOSSARY, memory=tm)
        (first, second) = t.translate_texts([KNOWN, "قال بوتين."], alternatives=2)
    assert first.text == "The delegation arrived." and first.alternatives == [first.text] * 2
    assert second.text == "<قال Putin.>"
    assert second.alternatives == ["<قال Putin.#1>", "<قال Putin.#2>"]


class Shouting(Stage):
    """A post-edit stage: upper-cases what the engine says."""

    name = "shout"

    def unwrap(self, text: str, state: Any, way: Direction) -> tuple[str, bool]:
        return text.upper(), True


class Cache(Stage):
    """A cache stage: answers what it knows without the engine."""

    name = "cache"

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known

    def fill(self, seg: Segment, way: Direction) -> bool:
        if seg.normalized not in self.known:
            return False
        seg.translation, seg.origin = self.known[seg.normalized], "cache"
        return True


def test_a_new_stage_joins_beside_the_others() -> None:
    engine = FakeEngine()
    t = Translator(
        engine, glossary=GLOSSARY, stages=[Cache({"بدأ الاجتماع.": "It began."}), Shouting()]
    )
    doc = t.translate_document("قال بوتين. زار Macron الرياض. بدأ الاجتماع.")
    said, visited, began = doc.segments
    # Unwrapping runs in reverse: the glossary, first in, has the last word on its term.
    assert (said.translation, said.origin) == ("<قال Putin.>", "model+shout+glossary")
    assert (visited.translation, visited.origin) == ("<زار MACRON الرياض.>", "model+shout")
    assert (began.translation, began.origin) == ("It began.", "cache")
    assert sorted(engine.calls[0]) == sorted(["قال Putin.", "زار Macron الرياض."])


def test_known_sentences_fill_their_segments_as_they_came_out_before() -> None:
    engine = FakeEngine()
    base = Translator(engine)
    known = {"وصل الوفد.": ("The delegation arrived.", -0.25, "model+glossary")}
    t = base.with_stages(KnownStage(known))
    doc = t.translate_document("وصل الوفد. بدأ الاجتماع.")
    first, second = doc.segments
    assert (first.translation, first.score, first.origin) == known["وصل الوفد."]
    assert engine.calls == [["بدأ الاجتماع."]]
    assert second.origin == "model"
    assert base.stages == [] and [s.name for s in t.stages] == ["known"]
