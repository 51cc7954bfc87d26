"""Formatted documents through the one pipeline: one engine call, alignment only where a
code needs it, the memory's markup reused, the glossary and long sentences in between."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tarjama import Translator
from tarjama.archive import TranslationMemory
from tarjama.archive.entries import Entry
from tarjama.engines.loader import load_engine
from tarjama.errors import EngineError
from tarjama.fidelity.glossary import Glossary, Term
from tarjama.formats.inline import Block, Close, Code, Open

from ..fakes import AligningFakeEngine, FakeEngine

PAGE = (
    "<h1>افتتاح الميناء</h1>"
    "<p>قال <b>الرئيس</b> إن الخطة جاهزة. وأضاف أن الميناء سيفتح غدا.</p>"
    "<p><b>سطر كله بخط عريض.</b></p>"
).encode()


def test_every_sentence_of_a_document_goes_to_the_engine_in_one_call() -> None:
    engine = FakeEngine()
    result = Translator(engine).translate_file(PAGE, "html")
    assert len(engine.calls) == 1
    assert len(engine.calls[0]) == 4
    assert len(result.document.paragraphs) == 3


def test_only_sentences_with_a_code_inside_ask_for_an_alignment() -> None:
    engine = AligningFakeEngine()
    Translator(engine).translate_file(PAGE, "html")
    (texts,) = engine.calls
    (flags,) = engine.align_calls
    assert flags is not None
    assert dict(zip(texts, flags, strict=True)) == {
        "افتتاح الميناء": False,
        "قال الرئيس إن الخطة جاهزة.": True,
        "وأضاف أن الميناء سيفتح غدا.": False,
        "سطر كله بخط عريض.": False,  # bold around the whole sentence: nothing to place
    }


def test_an_engine_that_cannot_align_gets_the_plain_call_and_the_tags_are_flagged() -> None:
    result = Translator(FakeEngine()).translate_file(PAGE, "html")
    assert b"<b>" in result.data and b"</b>" in result.data
    flagged = [i for i in result.document.issues if i.check == "markup"]
    assert len(flagged) == 1
    assert flagged[0].severity == "warning"
    assert flagged[0].message == (
        "inline code <b> placed by word order (no word alignment): check the markup"
    )


def test_an_aligning_engine_places_the_tags_without_a_warning() -> None:
    result = Translator(AligningFakeEngine()).translate_file(PAGE, "html")
    assert (
        b"<b>\xd8\xa7\xd9\x84\xd8\xb1\xd8\xa6\xd9\x8a\xd8\xb3</b>" in result.data
    )  # <b>الرئيس</b>
    assert [i for i in result.document.issues if i.check == "markup"] == []


@pytest.fixture
def memory(tmp_path: Path) -> TranslationMemory:
    tm = TranslationMemory(tmp_path / "tm.sqlite", create=True)
    tm.add(
        Entry(
            "قال <g1>الرئيس</g1> إن الخطة جاهزة.", "The <g1>president</g1> said the plan is ready."
        )
    )
    tm.add(Entry("وأضاف أن الميناء سيفتح غدا.", "He added that the port would open tomorrow."))
    return tm


def test_a_memory_match_brings_its_markup(memory: TranslationMemory) -> None:
    engine = FakeEngine()
    result = Translator(engine, memory=memory).translate_file(PAGE, "html")
    html = result.data.decode()
    assert "<p>The <b>president</b> said the plan is ready. He added that the port" in html
    seg = next(s for s in result.document.segments if s.markup)
    assert seg.origin == "memory"
    assert seg.target_markup == "The <g1>president</g1> said the plan is ready."
    assert [i for i in result.document.issues if i.check == "markup"] == []
    assert all("الرئيس" not in t for call in engine.calls for t in call)


def test_a_plain_memory_match_for_a_tagged_sentence_is_used_and_flagged(tmp_path: Path) -> None:
    tm = TranslationMemory(tmp_path / "plain.sqlite", create=True)
    tm.add(Entry("قال الرئيس إن الخطة جاهزة.", "The president said the plan is ready."))
    result = Translator(FakeEngine(), memory=tm).translate_file(PAGE, "html")
    seg = next(s for s in result.document.segments if s.markup)
    assert (seg.origin, seg.translation) == ("memory", "The president said the plan is ready.")
    assert [i.check for i in seg.issues if i.check == "markup"] == ["markup"]
    assert b"</b>" in result.data


@pytest.mark.parametrize(
    ("kind", "document"),
    [
        ("html", "<p>قال <b>الرئيس</b> إن الخطة جاهزة.</p>"),
        ("markdown", "قال **الرئيس** إن الخطة جاهزة.\n"),
        ("srt", "1\n00:00:01,000 --> 00:00:02,000\nقال <b>الرئيس</b> إن الخطة جاهزة.\n\n"),
    ],
)
def test_the_copy_model_puts_bold_around_the_same_word(
    copy_model_dir: Path, kind: str, document: str
) -> None:
    result = Translator.load(copy_model_dir, device="cpu").translate_file(document.encode(), kind)
    assert result.data.decode() == document
    (seg,) = result.document.segments
    assert seg.target_markup == "قال <g1>الرئيس</g1> إن الخطة جاهزة."
    assert seg.alignment == ((0, 0), (1, 1), (2, 2), (3, 3), (4, 4))
    assert [i for i in seg.issues if i.check == "markup"] == []


def test_the_alignment_survives_the_glossary(copy_model_dir: Path) -> None:
    """The engine sees the glossary's inline term; the bold word's link is carried back
    through it to the source word, and the tag goes around the restored term."""
    glossary = Glossary([Term("بوتين", "Putin")])
    translator = Translator.load(copy_model_dir, glossary=glossary, device="cpu")
    result = translator.translate_file("<p>التقى <b>بوتين</b> أمس في موسكو.</p>".encode(), "html")
    assert result.data.decode() == "<p>التقى <b>Putin</b> أمس في موسكو.</p>"
    (seg,) = result.document.segments
    assert seg.origin == "model+glossary"
    assert [i for i in seg.issues if i.check in ("markup", "glossary")] == []


def test_the_alignment_survives_a_sentence_cut_in_pieces(copy_model_dir: Path) -> None:
    engine = load_engine(copy_model_dir, device="cpu")
    engine.max_input_tokens = 12  # cut the sentence at its commas
    text = "قال الرئيس, إن الخطة, التي أعلنها أمس, <b>جاهزة</b> للتنفيذ في الشهر المقبل."
    assert engine.count_tokens(text.replace("<b>", "").replace("</b>", ""), "ar") > 12
    result = Translator(engine).translate_file(f"<p>{text}</p>".encode(), "html")
    (seg,) = result.document.segments
    assert seg.alignment is not None
    assert result.data.decode() == f"<p>{text}</p>"
    assert [i for i in seg.issues if i.check == "markup"] == []


def test_the_report_shows_each_sentence_with_its_codes() -> None:
    result = Translator(AligningFakeEngine()).translate_file(PAGE, "html")
    body: dict[str, Any] = result.to_json()
    assert body["format"] == "html"
    segment = body["paragraphs"][1]["segments"][0]
    assert segment["markup"] == "قال <g1>الرئيس</g1> إن الخطة جاهزة."
    assert segment["target_markup"] == "قال <g1>الرئيس</g1> إن الخطة جاهزة."
    assert "markup" not in body["paragraphs"][0]["segments"][0]


def test_translate_blocks_takes_blocks_from_any_reader() -> None:
    bold = Code("b", True)
    block = Block(["قال ", Open(bold), "الرئيس", Close(bold), " إن الخطة جاهزة."])
    done = Translator(AligningFakeEngine()).translate_blocks([block])
    assert done.placed[0].tokens == block.tokens
    assert done.document.paragraphs[0].segments[0].origin == "model"


def test_an_engine_failure_leaves_no_document() -> None:
    engine = FakeEngine(fail=EngineError("model crashed"))
    with pytest.raises(EngineError):
        Translator(engine).translate_file(PAGE, "html")
