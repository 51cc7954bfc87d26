"""The memory reuses what the archive holds whole: whole paragraphs, runs of sentences (an
archive's 2-1 link), then single sentences, the longest span first, each segment filled
exactly once; and an editor's approval wins over the archive."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tarjama.archive import Entry, TranslationMemory
from tarjama.archive.tmx import load_entries
from tarjama.errors import EngineError
from tarjama.pipeline import Translator

from ..commands import Ran
from ..conftest import DATA, run_tarjama
from ..fakes import FakeEngine

#: Two paragraphs; the first is two Arabic sentences the English says in one (a 2-1 link).
FOOTBRIDGE = DATA / "archive" / "footbridge.bilingual.txt"
LINES = FOOTBRIDGE.read_text(encoding="utf-8").splitlines()
ARABIC, ENGLISH = "\n".join(LINES[:2]) + "\n", "\n".join(LINES[2:]) + "\n"

S1 = "أعلنت الوزارة خطة جديدة."
S2 = "وتبلغ تكلفتها 3 ملايين دولار."
S3 = "وسيبدأ التنفيذ الشهر المقبل."
S4 = "ورحب السكان بالقرار."


@pytest.fixture
def tm(tmp_path: Path) -> Iterator[TranslationMemory]:
    with TranslationMemory(tmp_path / "tm.sqlite", create=True) as memory:
        yield memory


def test_the_footbridge_archive_holds_a_two_to_one_link() -> None:
    loaded = load_entries([FOOTBRIDGE])
    assert not loaded.flagged
    first = loaded.entries[0]
    assert first.source == LINES[0] and first.target == LINES[2]  # two sentences, one target


def test_a_two_to_one_link_fills_both_sentences_once(tm: TranslationMemory) -> None:
    tm.add_many(load_entries([FOOTBRIDGE]).entries)
    engine = FakeEngine(fail=EngineError("the model must not be called"))
    doc = Translator(engine, memory=tm).translate_document(ARABIC)
    assert engine.calls == []
    assert doc.text == ENGLISH
    first, second, third = doc.segments
    assert [s.origin for s in doc.segments] == ["memory"] * 3
    # One match covering both sentences: the translation once, on the first.
    assert first.translation == LINES[2] and first.match is not None
    assert first.match["segments"] == [0, 1]
    assert first.match["source"] == LINES[0]
    assert second.translation == "" and second.covered_by == 0 and second.match is None
    assert third.match is not None and third.match["segments"] == [0]
    assert third.covered_by is None
    # The span is checked as one unit: no "empty translation", no "addition".
    assert doc.issues == []
    as_json = doc.to_json()["paragraphs"][0]["segments"]
    assert (as_json[0]["match"]["segments"], as_json[1]["covered_by"]) == ([0, 1], 0)


def test_the_whole_paragraph_first_then_runs_then_sentences(tm: TranslationMemory) -> None:
    tm.add_many(
        [
            Entry(S1, "single one"),
            Entry(S2, "single two"),
            Entry(S3, "single three"),
            Entry(f"{S2} {S3}", "two and three"),
            Entry(f"{S1} {S2} {S3} {S4}", "the whole paragraph"),
        ]
    )
    engine = FakeEngine()
    t = Translator(engine, memory=tm)
    whole = t.translate_document(f"{S1} {S2} {S3} {S4}")
    assert whole.text == "the whole paragraph" and engine.calls == []
    assert [s.covered_by for s in whole.segments] == [None, 0, 0, 0]

    # Without S4's paragraph entry: the run S2+S3 wins over S2 and S3 alone; S1 alone;
    # S4 is nobody's and goes to the model, once.
    run = t.translate_document(f"{S1} {S2} {S3} وقال مسؤول إن العمل بدأ.")
    assert run.text == "single one two and three <وقال مسؤول إن العمل بدأ.>"
    assert [s.origin for s in run.segments] == ["memory", "memory", "memory", "model"]
    assert [s.covered_by for s in run.segments] == [None, None, 1, None]
    assert engine.calls == [["وقال مسؤول إن العمل بدأ."]]


def test_spans_never_cross_paragraphs_or_separate_texts(tm: TranslationMemory) -> None:
    tm.add(Entry(f"{S1} {S2}", "one and two"))
    engine = FakeEngine()
    t = Translator(engine, memory=tm)
    doc = t.translate_document(f"{S1}\n{S2}")
    assert all(s.origin == "model" for s in doc.segments)
    # LibreTranslate's list of q: each item is its own text.
    assert t.translate([S1, S2]) == [f"<{S1}>", f"<{S2}>"]
    # One q holding both sentences is one paragraph: found whole.
    (found,) = t.translate_texts([f"{S1} {S2}"])
    assert found.text == "one and two"


def test_an_editor_approval_wins_and_a_suggestion_never_fills(tm: TranslationMemory) -> None:
    tm.add(Entry(S1, "archive, newest", created="2026-05-01T00:00:00Z", origin="a.txt#1"))
    tm.add(Entry(S1, "approved first", created="2025-01-01T00:00:00Z", origin="editor", author="a"))
    tm.add(Entry(S1, "approved last", created="2025-06-01T00:00:00Z", origin="editor", author="b"))
    tm.add(Entry(S2, "a passer-by's idea", origin="suggestion"))
    doc = Translator(FakeEngine(), memory=tm).translate_document(f"{S1} {S2}")
    first, second = doc.segments
    assert first.translation == "approved last"
    assert first.match is not None and first.match["author"] == "b"
    assert second.origin == "model"  # the suggestion is offered, not used
    assert second.suggestions[0]["target"] == "a passer-by's idea"
    assert second.suggestions[0]["score"] == 1.0
    stats = tm.stats()
    assert (stats.conflicts, stats.approved, stats.approved_conflicts) == (1, 2, 1)
    assert stats.suggestions == 1


def test_cli_translates_the_footbridge_archive_from_memory(
    tmp_path: Path, tiny_model_dir: Path
) -> None:
    """The acceptance case: import the archive entry, translate its Arabic with --memory:
    every segment from the memory, and the output equals the English."""
    db, source = tmp_path / "tm.sqlite", tmp_path / "footbridge.ar.txt"
    source.write_text(ARABIC, encoding="utf-8")

    def tarjama(*args: str) -> Ran[str]:
        return run_tarjama(*args, home=tmp_path / "home")

    r = tarjama("memory", "import", str(FOOTBRIDGE), "--memory", str(db), "-q")
    assert r.returncode == 0, r.stderr
    assert "2 added" in r.stderr
    model = str(tiny_model_dir)  # random weights: any sentence it translated would show
    r = tarjama("translate", str(source), "--model", model, "--memory", str(db))
    assert r.returncode == 0, r.stderr
    assert r.stdout == ENGLISH
    assert "3 of 3 segment(s) from the translation memory" in r.stderr
    r = tarjama("translate", str(source), "--model", model, "--memory", str(db), "-f", "json")
    segments = [s for p in json.loads(r.stdout)["paragraphs"] for s in p["segments"]]
    assert {s["origin"] for s in segments} == {"memory"}
    assert [s["covered_by"] for s in segments] == [None, 0, None]
