"""The one pipeline step every way in uses (Translator.translate_segments), alternatives
assembled once, and formatted documents translated as one pool."""

from __future__ import annotations

from tarjama import formats
from tarjama.document import Segment
from tarjama.pipeline import Translator
from tarjama.pipeline.translator import alternative

from ..fakes import FakeEngine


def translator(engine: FakeEngine) -> Translator:
    return Translator(engine, source="ar", target="en")


def test_the_step_fills_segments_with_their_alternatives() -> None:
    engine = FakeEngine(pairs=[("ar", "en")])
    segs = [Segment(0, 0, "مرحبا", normalized="مرحبا"), Segment(0, 1, "شكرا", normalized="شكرا")]
    translator(engine).translate_segments([segs], alternatives=2)
    assert engine.calls == [["مرحبا", "شكرا"]]
    assert [s.translation for s in segs] == ["<مرحبا>", "<شكرا>"]
    assert segs[0].alternatives == ("<مرحبا#1>", "<مرحبا#2>")
    assert all(s.origin == "model" and s.issues == [] for s in segs)


def test_a_texts_alternative_takes_each_sentences_alternative_of_that_rank() -> None:
    t = translator(FakeEngine(pairs=[("ar", "en")]))
    doc = t.segment("مرحبا. شكرا.")
    t.translate_segments([p.segments for p in doc.paragraphs], alternatives=1)
    doc.segments[1].alternatives = ()  # fewer alternatives: its best stands in
    best = doc.text
    assert alternative(doc, 1) == best.replace("<مرحبا.>", "<مرحبا.#1>")
    assert doc.text == best  # the document itself is left as it was
    [result] = t.translate_texts(["مرحبا. شكرا."], alternatives=1)
    assert result.text == best
    assert result.alternatives == ["<مرحبا.#1> <شكرا.#1>"]


def test_formatted_documents_are_one_pool_and_unwanted_blocks_stay() -> None:
    engine = FakeEngine(pairs=[("ar", "en")])
    pages = [
        formats.read("<p>مرحبا</p><p>2025</p>".encode(), "html"),
        formats.read("<h1>شكرا</h1>".encode(), "html"),
    ]
    done = translator(engine).translate_formatted(
        pages, check=False, wanted=lambda text: any(c.isalpha() for c in text)
    )
    assert engine.calls == [["مرحبا", "شكرا"]]
    assert [f.data.decode() for f in done] == [
        "<p>&lt;مرحبا&gt;</p><p>2025</p>",
        "<h1>&lt;شكرا&gt;</h1>",
    ]
    # Each report is numbered as its own document, not as a place in the pool.
    assert [p.index for p in done[1].document.paragraphs] == [0]
    assert [p.segments[0].paragraph for p in done[1].document.paragraphs] == [0]
    assert done[0].document.paragraphs[1].segments == []


def test_blocks_can_leave_the_checks_for_later() -> None:
    t = translator(FakeEngine(pairs=[("ar", "en")]))
    page = formats.read("<p>وصل 5 وزراء</p>".encode(), "html")
    unchecked = t.translate_blocks(page.blocks, check=False).document
    assert unchecked.issues == []
    assert t.check(unchecked).issues  # the fake engine's output fails the checks
