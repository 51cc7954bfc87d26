"""DOCX: a reference run keeps its own content and style; direction is switched on
paragraphs, tables and sections together; a missing image is no reason to refuse."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from tarjama.errors import InputError
from tarjama.pipeline import Translator

from ..fakes import FakeEngine
from . import samples


def _save(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_text_beside_a_footnote_reference_stays_out_of_its_run(copier: Translator) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("قال الرئيس")
    paragraph._p.append(
        parse_xml(
            # Styled like the text around it: its run used to take the next words in.
            f"<w:r {nsdecls('w')}><w:footnoteReference w:id='1'/></w:r>"
        )
    )
    paragraph.add_run(" إن الخطة جاهزة.")
    result = copier.translate_file(_save(document), "docx")
    (p,) = docx.Document(io.BytesIO(result.data)).paragraphs
    (ref,) = [r for r in p._p.iter(qn("w:r")) if r.find(qn("w:footnoteReference")) is not None]
    assert ref.findall(qn("w:t")) == []
    assert p.text == "قال الرئيس إن الخطة جاهزة."


def _rtl_document() -> bytes:
    document = docx.Document()
    document.add_paragraph("قال الرئيس.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "الأول"
    table.cell(0, 1).text = "الثاني"
    table._tbl.tblPr.append(parse_xml(f"<w:bidiVisual {nsdecls('w')}/>"))
    document.sections[0]._sectPr.append(parse_xml(f"<w:bidi {nsdecls('w')}/>"))
    return _save(document)


def _marks(data: bytes) -> tuple[int, int]:
    body = docx.Document(io.BytesIO(data)).element.body
    tables = len(list(body.iter(qn("w:bidiVisual"))))
    sections = sum(len(s.findall(qn("w:bidi"))) for s in body.iter(qn("w:sectPr")))
    return tables, sections


def test_into_english_tables_and_sections_stop_mirroring() -> None:
    data = _rtl_document()
    assert _marks(data) == (1, 1)
    out = Translator(FakeEngine()).translate_file(data, "docx").data
    assert _marks(out) == (0, 0)


def test_into_arabic_tables_and_sections_read_right_to_left() -> None:
    document = docx.Document()
    document.add_paragraph("The president said.")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "first"
    out = (
        Translator(FakeEngine(), source="en", target="ar")
        .translate_file(_save(document), "docx")
        .data
    )
    assert _marks(out) == (1, 1)
    docx.Document(io.BytesIO(out))  # still opens


def _drop(data: bytes, prefix: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if not info.filename.startswith(prefix):
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def test_a_document_missing_its_image_translates_and_still_lacks_it() -> None:
    data = _drop(samples.docx_document(), "word/media/")
    result = Translator(FakeEngine()).translate_file(data, "docx")
    with zipfile.ZipFile(io.BytesIO(result.data)) as archive:
        assert not [n for n in archive.namelist() if n.startswith("word/media/")]
    assert result.document.segments


def test_a_document_missing_a_story_is_still_refused() -> None:
    data = _drop(samples.docx_document(), "word/footnotes.xml")
    with pytest.raises(InputError, match="not a Word document"):
        Translator(FakeEngine()).translate_file(data, "docx")
