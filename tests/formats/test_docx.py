"""DOCX golden round trips, and the output opened again with python-docx: runs, links,
tables, footnotes, headers, text boxes, images and the title."""

from __future__ import annotations

import io

import docx
import pytest
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn

from tarjama.document import Paragraph
from tarjama.formats.base import BlockResult
from tarjama.formats.docx import DocxDocument
from tarjama.pipeline import Translator

from . import samples
from .trees import ARABIC, xml, zip_parts

STORIES = ("word/document.xml", "word/header1.xml", "word/footnotes.xml")
#: What changes with the direction of the target language.
DIRECTION = {qn("w:bidi"), qn("w:rtl")}


def _without_direction(data: bytes) -> list[tuple[str, tuple[tuple[str, str], ...], str]]:
    root = xml(data)
    out = []
    for el in root.iter():
        if el.tag in DIRECTION:
            continue
        if el.tag in (qn("w:rPr"), qn("w:pPr")) and all(c.tag in DIRECTION for c in el):
            continue  # a property element that only held the direction
        out.append((el.tag, tuple(sorted(el.attrib.items())), el.text or ""))
    return out


def _elements(data: bytes) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    return [(tag, attrs) for tag, attrs, _ in _without_direction(data)]


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _bold_runs(document: docx.document.Document) -> int:
    return sum(1 for p in document.paragraphs for r in p.runs if r.bold)


def _links(document: docx.document.Document) -> int:
    return sum(len(p.hyperlinks) for p in document.paragraphs)


def test_the_copy_model_gives_the_document_back(copier: Translator) -> None:
    source = samples.docx_document()
    result = copier.translate_file(source, "docx")
    before, after = zip_parts(source), zip_parts(result.data)
    assert sorted(after) == sorted(before)
    for name in STORIES:
        assert _without_direction(after[name]) == _without_direction(before[name]), name
    assert _open(result.data).core_properties.title == samples.TITLE
    assert [i for i in result.document.issues if i.check == "markup"] == []


def test_bold_and_link_come_back_on_the_same_words(copier: Translator) -> None:
    out = _open(copier.translate_file(samples.docx_document(), "docx").data)
    bold = [r.text for p in out.paragraphs for r in p.runs if r.bold]
    assert bold == ["سالم النعيمي"]
    assert [h.text for p in out.paragraphs for h in p.hyperlinks] == ["الميناء"]
    assert [r.text for p in out.paragraphs for r in p.runs if r.italic] == ["12 ألف وظيفة"]


@pytest.fixture(scope="module")
def translated(tiny: Translator) -> tuple[bytes, bytes]:
    source = samples.docx_document()
    return source, tiny.translate_file(source, "docx").data


def test_the_tiny_model_keeps_every_element(translated: tuple[bytes, bytes]) -> None:
    source, out = translated
    before, after = zip_parts(source), zip_parts(out)
    assert sorted(after) == sorted(before)
    for name in STORIES:
        assert _elements(after[name]) == _elements(before[name]), name
    assert after["word/media/image1.png"] == before["word/media/image1.png"]


def test_runs_links_tables_and_footnotes_are_there_and_english(
    translated: tuple[bytes, bytes],
) -> None:
    source, out = map(_open, translated)
    assert _bold_runs(out) == _bold_runs(source) == 1
    assert _links(out) == _links(source) == 1
    assert sum(1 for p in out.paragraphs for r in p.runs if r.italic) == 1
    assert len(out.tables) == 1
    cells = [c.text for row in out.tables[0].rows for c in row.cells]
    assert all(c and not ARABIC.search(c) for c in cells)
    body = [p.text for p in out.paragraphs if p.text.strip()]
    assert body and not [t for t in body if ARABIC.search(t)]
    assert out.inline_shapes and len(out.inline_shapes) == len(source.inline_shapes)
    header = out.sections[0].header.paragraphs[0].text
    assert header and not ARABIC.search(header)
    title = out.core_properties.title
    assert title and not ARABIC.search(title)
    assert out.core_properties.author == "Desk"


def test_footnotes_and_text_boxes_are_translated(translated: tuple[bytes, bytes]) -> None:
    _, out = translated
    parts = zip_parts(out)
    footnote = "".join(xml(parts["word/footnotes.xml"]).itertext())
    assert footnote.strip() and not ARABIC.search(footnote)
    box = xml(parts["word/document.xml"]).find(".//" + qn("w:txbxContent"))
    assert box is not None
    assert "".join(box.itertext()).strip() and not ARABIC.search("".join(box.itertext()))
    # The footnote reference is still in the first paragraph.
    assert xml(parts["word/document.xml"]).find(".//" + qn("w:footnoteReference")) is not None


def test_paragraphs_lose_their_right_to_left_marks_in_english(
    translated: tuple[bytes, bytes],
) -> None:
    _, out = translated
    document = xml(zip_parts(out)["word/document.xml"])
    assert document.find(".//" + qn("w:bidi")) is None
    assert document.find(".//" + qn("w:rtl")) is None


def test_into_arabic_paragraphs_read_right_to_left() -> None:
    document = docx.Document()
    p = document.add_paragraph("The port opened on ")
    p.add_run("Sunday").bold = True
    p.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER  # w:jc, which w:bidi must come before
    buf = io.BytesIO()
    document.save(buf)
    read = DocxDocument(buf.getvalue())
    results = [
        BlockResult(b.tokens, Paragraph(index=k, source=b.text)) for k, b in enumerate(read.blocks)
    ]
    out = _open(read.write(results, source="en", target="ar"))
    ppr = out.paragraphs[0]._p.pPr
    assert ppr is not None
    assert [c.tag for c in ppr][:2] == [qn("w:bidi"), qn("w:jc")]
    assert all(r.font.rtl for r in out.paragraphs[0].runs)
    assert [r.text for r in out.paragraphs[0].runs if r.bold] == ["Sunday"]
