"""Glossary enforcement and checks inside the pipeline: a fake engine and the tiny real model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from tarjama import Translator
from tarjama.cli import main
from tarjama.cli.translate import issue_summary
from tarjama.engines import Hypothesis
from tarjama.fidelity.glossary import Glossary, Term

from ..fakes import FakeEngine

GLOSSARY = Glossary([Term("بوتين", "Putin"), Term("البحر الأحمر", "Red Sea")])


class Spy:
    """Wraps an engine and keeps what reached it."""

    def __init__(self, engine: object) -> None:
        self.engine = engine
        self.seen: list[str] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.engine, name)

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, num_alternatives: int = 0
    ) -> list[Hypothesis]:
        self.seen.extend(texts)
        return self.engine.translate_batch(  # type: ignore[attr-defined, no-any-return]
            texts, source, target, num_alternatives=num_alternatives
        )


def test_term_is_protected_restored_and_marked() -> None:
    engine = FakeEngine()
    doc = Translator(engine, glossary=GLOSSARY).translate_document("التقى لبوتين أمس.")
    (seg,) = doc.segments
    assert engine.calls == [["التقى Putin أمس."]]
    assert "Putin" in seg.translation
    assert seg.origin == "model+glossary"
    assert "glossary" not in {i.check for i in seg.issues}


def test_segment_that_is_a_term_is_filled_from_the_glossary() -> None:
    engine = FakeEngine()
    doc = Translator(engine, glossary=GLOSSARY).translate_document("«البحر الأحمر».\nقال.")
    first, second = doc.segments
    assert (first.translation, first.origin, first.issues) == ('"Red Sea".', "glossary", [])
    assert engine.calls == [["قال."]]
    assert second.origin == "model"


def test_every_document_is_checked() -> None:
    doc = Translator(FakeEngine()).translate_document("بلغت الزيادة 40%.")
    checks = {i.check for i in doc.issues}
    assert "untranslated" in checks  # the fake engine echoes the Arabic
    assert all(i.paragraph == doc.paragraphs[0].index == 0 for i in doc.issues)
    assert all(i.segment == doc.segments[0].index == 0 for i in doc.issues)


def test_tiny_model_term_is_protected_and_a_miss_is_an_issue(tiny_model_dir: Path) -> None:
    translator = Translator.load(tiny_model_dir, glossary=GLOSSARY)
    spy = Spy(translator.engine)
    translator.engine = spy  # type: ignore[assignment]
    doc = translator.translate_document("التقى بوتين أمس في موسكو.")
    (seg,) = doc.segments
    assert spy.seen == ["التقى Putin أمس في موسكو."]
    assert seg.origin == "model+glossary"
    missed = [i for i in seg.issues if i.check == "glossary"]
    # Random weights rarely copy the term: then the miss must be reported, never silent.
    assert ("Putin" in seg.translation) is (missed == [])
    assert all(i.severity == "error" and i.source_text == "بوتين" for i in missed)


def test_translate_cli_takes_a_glossary_and_summarises_issues(
    tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    glossary = tmp_path / "g.csv"
    glossary.write_text("ar,en\nالبحر الأحمر,Red Sea\n", encoding="utf-8")
    src = tmp_path / "in.txt"
    src.write_text("البحر الأحمر.\n", encoding="utf-8")
    code = main(
        ["translate", str(src), "--model", str(tiny_model_dir), "--glossary", str(glossary)]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert out == "Red Sea.\n"
    assert err.strip() == "tarjama: checks found no issues"


def test_issue_summary_line() -> None:
    doc = Translator(FakeEngine()).translate_document("بلغت الزيادة 40%.")
    errors = sum(i.severity == "error" for i in doc.issues)
    counts = {c: sum(i.check == c for i in doc.issues) for c in {i.check for i in doc.issues}}
    line = issue_summary(doc.issues)
    assert line.startswith(f"tarjama: {errors} error(s), {len(doc.issues) - errors} warning(s) (")
    assert all(f"{check} {n}" in line for check, n in counts.items())
