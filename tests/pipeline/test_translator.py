"""The pipeline with a fake engine: layout, batching, deduplication, long sentences."""

from __future__ import annotations

import json

import pytest

from tarjama.errors import ConfigError, EngineError, UnsupportedPair
from tarjama.pipeline import Translator, segment
from tarjama.text import render

from ..fakes import FakeEngine

A = "وصل الوفد."
B = "بدأ الاجتماع."
CASES = [
    # (input, expected output)
    (A, f"<{A}>"),
    (f"{A} {B}", f"<{A}> <{B}>"),
    (f"{A}\n{B}", f"<{A}>\n<{B}>"),
    (f"{A}\n\n\n{B}\n", f"<{A}>\n\n\n<{B}>\n"),
    (f"{A}\r\n{B}\r\n", f"<{A}>\n<{B}>\n"),
    (f"\ufeff{A}", f"<{A}>"),
    (f"\n\n{A}  \n \n {B}", f"\n\n<{A}>  \n \n <{B}>"),
    ("", ""),
    ("\n\n", "\n\n"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_layout_is_kept(text: str, expected: str) -> None:
    doc = Translator(FakeEngine()).translate_document(text)
    assert doc.text == expected


def test_one_engine_call_for_the_whole_document() -> None:
    engine = FakeEngine()
    text = "جملة أولى. جملة ثانية.\nجملة ثالثة.\n\nجملة أولى."
    doc = Translator(engine).translate_document(text)
    assert len(engine.calls) == 1
    # The repeated sentence is translated once and reused.
    assert sorted(engine.calls[0]) == sorted(["جملة أولى.", "جملة ثانية.", "جملة ثالثة."])
    assert [p.translation for p in doc.paragraphs] == [
        "<جملة أولى.> <جملة ثانية.>",
        "<جملة ثالثة.>",
        "<جملة أولى.>",
    ]


def test_segments_carry_score_origin_and_offsets() -> None:
    text = "قال الوزير إن الخطة جاهزة. وأضاف أنها ستنفذ."
    doc = Translator(FakeEngine()).translate_document(text)
    segs = doc.segments
    assert len(segs) == 2
    for seg in segs:
        assert seg.origin == "model"
        assert seg.score == -0.5
        assert text[seg.start : seg.end] == seg.source


def test_sentences_are_cleaned_before_the_model() -> None:
    engine = FakeEngine()
    Translator(engine).translate_document("\u200fبلغت ٣٫٥ مليار\u200e ريال.")
    assert engine.calls == [["بلغت 3.5 مليار ريال."]]


def test_long_sentence_is_cut_at_clauses_and_joined() -> None:
    engine = FakeEngine(max_input_tokens=4)
    sentence = "واحد اثنان ثلاثة، أربعة خمسة ستة؛ سبعة ثمانية تسعة عشرة أحد عشر."
    doc = Translator(engine).translate_document(sentence)
    sent = engine.calls[0]
    assert all(len(p.split()) <= 4 for p in sent)
    # Nothing is lost: the pieces put together are the sentence.
    assert " ".join(sent).split() == sentence.split()
    assert doc.paragraphs[0].translation == render(" ".join(f"<{p}>" for p in sent), "en")
    assert len(doc.segments) == 1


def test_json_agrees_with_text() -> None:
    doc = Translator(FakeEngine()).translate_document(f"{A} {B}\n\n{A}")
    data = json.loads(json.dumps(doc.to_json(), ensure_ascii=False))
    assert data["source"] == "ar" and data["target"] == "en"
    assert data["text"] == doc.text
    assert [p["translation"] for p in data["paragraphs"]] == [f"<{A}> <{B}>", f"<{A}>"]
    assert data["model"]["name"] == "fake"
    assert "signature" in data["model"]
    seg = data["paragraphs"][0]["segments"][0]
    assert set(seg) >= {"source", "translation", "score", "origin"}


def test_translate_list_keeps_order_and_dedups() -> None:
    engine = FakeEngine()
    out = Translator(engine).translate(["ب", "أ", "ب", ""])
    assert out == ["<ب>", "<أ>", "<ب>", ""]
    assert engine.calls == [["ب", "أ"]]


def test_translate_rejects_a_bare_string() -> None:
    with pytest.raises(ConfigError):
        Translator(FakeEngine()).translate("نص")


def test_english_source_direction() -> None:
    engine = FakeEngine()
    doc = Translator(engine, source="en", target="ar").translate_document("Hello. Bye.")
    assert engine.calls == [["Hello.", "Bye."]]
    assert doc.source_lang == "en" and doc.target_lang == "ar"


def test_unsupported_pair() -> None:
    with pytest.raises(UnsupportedPair, match="does not translate en->ar"):
        Translator(FakeEngine(pairs=[("ar", "en")]), source="en", target="ar")


def test_engine_failure_propagates_as_engine_error() -> None:
    engine = FakeEngine(fail=EngineError("boom"))
    with pytest.raises(EngineError):
        Translator(engine).translate_document("نص.")


def test_empty_document_calls_no_engine() -> None:
    engine = FakeEngine()
    assert Translator(engine).translate_document("  \n").text == "  \n"
    assert engine.calls == []


@pytest.mark.parametrize(
    ("digits", "expected"),
    [(None, "<It cost 3.5 billion, up 12%.>"), ("arabic", "<It cost ٣٫٥ billion, up ١٢٪.>")],
)
def test_digit_system_of_arabic_output(digits: str | None, expected: str) -> None:
    doc = Translator(FakeEngine(), source="en", target="ar", digits=digits).translate_document(
        "It cost 3.5 billion, up 12%."
    )
    assert doc.text == expected


def test_unknown_digit_system() -> None:
    with pytest.raises(ConfigError, match="digits must be one of ascii, arabic"):
        Translator(FakeEngine(), digits="roman")


def test_documents_pooled_in_one_engine_call_deduplicated_across_documents() -> None:
    engine = FakeEngine()
    dateline = "القاهرة (رويترز) - "
    texts = [f"{dateline}{A}\n{B}", f"{dateline}{B}", "قال المتحدث."]
    docs = Translator(engine).translate_documents(texts)
    assert len(engine.calls) == 1
    (sent,) = engine.calls
    assert len(sent) == len(set(sent))  # every shared sentence reaches the engine once
    assert set(sent) == {s.normalized for d in docs for s in d.segments}
    # Each document comes back laid out as translate_document gives it alone.
    alone = [Translator(FakeEngine()).translate_document(t) for t in texts]
    assert [d.text for d in docs] == [d.text for d in alone]
    assert [d.to_json() for d in docs] == [d.to_json() for d in alone]


def test_pooled_documents_are_each_checked() -> None:
    docs = Translator(FakeEngine()).translate_documents(["بلغت الزيادة 40%.", "", "وصل الوفد."])
    assert [bool(d.issues) for d in docs] == [True, False, True]
    assert {i.check for i in docs[0].issues} >= {"untranslated"}
    assert docs[1].text == ""


def test_pooled_documents_may_come_split_already() -> None:
    engine = FakeEngine()
    split = segment(f"{A} {B}", "ar")
    (doc,) = Translator(engine).translate_documents([split])
    assert doc.text == f"<{A}> <{B}>"
    assert engine.calls == [[A, B]]


def test_translate_documents_rejects_a_bare_string() -> None:
    with pytest.raises(ConfigError):
        Translator(FakeEngine()).translate_documents("نص")
