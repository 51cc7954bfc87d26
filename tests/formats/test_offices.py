"""ODT, ODP, PPTX and EPUB: the copy model gives each back whole, the tiny model changes
its text where the text is and keeps its formatting runs, links, notes and breaks, the
direction follows the target, and a hostile or mislabelled file is refused cheaply.

The outputs are read back with odfpy, python-pptx and lxml, not with tarjama's readers."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pptx
import pytest
from lxml import etree
from odf.opendocument import load as odf_load

from tarjama import formats
from tarjama.errors import InputError
from tarjama.pipeline import Translator

from ..commands import tarjama
from ..fakes import FakeEngine
from . import offices
from .hostile import lying_zip, measure

BUILD: dict[str, Callable[[], bytes]] = {
    "odt": offices.odt,
    "odp": offices.odp,
    "pptx": offices.pptx,
    "epub": offices.epub,
}
XHTML = "{http://www.w3.org/1999/xhtml}"


def _odf_paragraphs(data: bytes) -> list[str]:
    from odf import teletype, text

    doc = odf_load(io.BytesIO(data))
    out: list[str] = []
    for kind in (text.H, text.P):
        out.extend(teletype.extractText(p) for p in doc.getElementsByType(kind))
    return out


def _pptx_paragraphs(data: bytes) -> list[str]:
    deck = pptx.Presentation(io.BytesIO(data))
    out: list[str] = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.extend(p.text for p in shape.text_frame.paragraphs)
            if shape.has_table:
                out.extend(c.text for row in shape.table.rows for c in row.cells)
        if slide.has_notes_slide:
            out.extend(p.text for p in slide.notes_slide.notes_text_frame.paragraphs)
    return [*out, deck.core_properties.title]


def _epub_paragraphs(data: bytes) -> list[str]:
    out: list[str] = []
    for name, part in offices.entries(data).items():
        if name.endswith((".xhtml", ".ncx", ".opf")):
            root = etree.fromstring(part)  # well-formed XML, or this raises
            out.extend("".join(el.itertext()) for el in root.iter(f"{XHTML}p", f"{XHTML}h1"))
            out.extend(el.text or "" for el in root.iter("{*}text", "{*}title"))
    return out


PARAGRAPHS: dict[str, Callable[[bytes], list[str]]] = {
    "odt": _odf_paragraphs,
    "odp": _odf_paragraphs,
    "pptx": _pptx_paragraphs,
    "epub": _epub_paragraphs,
}


def _shape(data: bytes) -> tuple[list[str], list[bytes], dict[str, list[str]]]:
    """Entry names in order, the mimetype entry, and each XML part's element tags."""
    names, mimetype, tags = [], [], {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            names.append(info.filename)
            if info.filename == "mimetype":
                assert info.compress_type == zipfile.ZIP_STORED
                mimetype.append(archive.read(info))
            elif info.filename.endswith((".xml", ".rels", ".xhtml", ".opf", ".ncx")):
                root = etree.fromstring(archive.read(info))
                tags[info.filename] = [str(el.tag) for el in root.iter()]
    return names, mimetype, tags


@pytest.mark.parametrize("kind", BUILD)
def test_the_copy_model_gives_each_document_back(copier: Translator, kind: str) -> None:
    source = BUILD[kind]()
    result = copier.translate_file(source, kind)
    assert PARAGRAPHS[kind](result.data) == PARAGRAPHS[kind](source)
    assert _shape(result.data) == _shape(source)
    assert [i for i in result.document.issues if i.check == "markup"] == []


@pytest.fixture(scope="module")
def tiny_out(tiny: Translator) -> dict[str, tuple[bytes, bytes]]:
    return {k: (b(), tiny.translate_file(b(), k).data) for k, b in BUILD.items()}


@pytest.mark.parametrize("kind", BUILD)
def test_the_tiny_model_changes_the_text_where_it_is(
    tiny_out: dict[str, tuple[bytes, bytes]], kind: str
) -> None:
    source, out = tiny_out[kind]
    before, after = PARAGRAPHS[kind](source), PARAGRAPHS[kind](out)
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        if old.strip() in ("", "45", "Nadia Example"):
            assert new == old  # nothing to translate: copied
        else:
            assert new != old and new.strip(), old
    assert _shape(out)[:2] == _shape(source)[:2]


def test_odt_keeps_its_span_link_tab_note_and_break(
    tiny_out: dict[str, tuple[bytes, bytes]],
) -> None:
    from odf import text

    doc = odf_load(io.BytesIO(tiny_out["odt"][1]))
    (link,) = doc.getElementsByType(text.A)
    assert link.getAttribute("href") == "https://example.org/port"
    spans = doc.getElementsByType(text.Span)
    assert [s.getAttribute("stylename") for s in spans] == ["Bold"]
    assert all(str(s).strip() for s in [link, *spans])  # each still holds words
    assert len(doc.getElementsByType(text.Tab)) == 1
    assert len(doc.getElementsByType(text.LineBreak)) == 1
    (note,) = doc.getElementsByType(text.Note)
    assert str(note.getElementsByType(text.NoteCitation)[0]) == "1"
    assert offices.NOTE not in str(note)  # the note's own paragraph was translated


def test_pptx_keeps_its_bold_run_link_and_break(
    tiny_out: dict[str, tuple[bytes, bytes]],
) -> None:
    deck = pptx.Presentation(io.BytesIO(tiny_out["pptx"][1]))
    runs = [
        r
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        for r in p.runs
    ]
    bold = [r.text for r in runs if r.font.bold]
    links = [r.text for r in runs if r.hyperlink.address == "https://example.org/port"]
    assert len(bold) == 1 and bold[0].strip() and offices.BOLD not in bold[0]
    assert len(links) == 1 and links[0].strip()
    body = deck.slides[1].shapes[1].text_frame.paragraphs[0]
    assert len(body._p.findall("{*}br")) == 1
    assert body._p.pPr.get("rtl") == "0"  # the source said rtl="1"
    assert {r.font._rPr.get("lang") for r in body.runs} == {"en"}


def test_epub_keeps_its_markup_and_names_english(
    tiny_out: dict[str, tuple[bytes, bytes]],
) -> None:
    parts = offices.entries(tiny_out["epub"][1])
    chapter = etree.fromstring(parts["OEBPS/text/chapter1.xhtml"])
    assert (chapter.get("lang"), chapter.get("dir")) == ("en", "ltr")
    (bold,) = chapter.iter(f"{XHTML}b")
    (link,) = chapter.iter(f"{XHTML}a")
    assert bold.text and link.text and link.get("href") == "https://example.org/port"
    assert [c.text for c in chapter.iter(f"{XHTML}code")] == ["ISO-9001"]
    assert len(list(chapter.iter(f"{XHTML}br"))) == 1
    (img,) = chapter.iter(f"{XHTML}img")
    assert img.get("alt") != offices.CELL
    opf = etree.fromstring(parts["OEBPS/content.opf"])
    assert opf.findtext(".//{*}language") == "en"
    assert opf.find(".//{*}spine").get("page-progression-direction") == "ltr"
    assert opf.findtext(".//{*}title") != offices.TITLE
    ncx = etree.fromstring(parts["OEBPS/toc.ncx"])
    assert ncx.findtext(".//{*}docAuthor/{*}text") == "Nadia Example"  # a name, kept
    assert parts["OEBPS/pic.png"] == b"\x89PNG\r\n\x1a\n"


def _english_pptx() -> bytes:
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    slide.shapes.title.text = "The minister opened the port."
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _english_odt() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style, TextProperties
    from odf.text import P

    doc = OpenDocumentText()
    style = Style(name="Body", family="paragraph")
    style.addElement(TextProperties(language="en", country="US"))
    doc.styles.addElement(style)
    doc.text.addElement(P(stylename=style, text="The minister opened the port."))
    plain = Style(name="Plain", family="paragraph")
    plain.addElement(ParagraphProperties(marginleft="1cm"))
    doc.automaticstyles.addElement(plain)
    doc.text.addElement(P(stylename=plain, text="Ships arrived."))
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def test_into_arabic_slides_and_paragraphs_read_right_to_left() -> None:
    to_arabic = Translator(FakeEngine(), source="en", target="ar")
    deck = pptx.Presentation(io.BytesIO(to_arabic.translate_file(_english_pptx(), "pptx").data))
    (p,) = deck.slides[0].shapes.title.text_frame.paragraphs
    assert p._p.pPr.get("rtl") == "1"
    doc = odf_load(io.BytesIO(to_arabic.translate_file(_english_odt(), "odt").data))
    from odf import style

    modes = {
        s.getAttribute("name"): [
            pp.getAttribute("writingmode") for pp in s.getElementsByType(style.ParagraphProperties)
        ]
        for s in doc.getElementsByType(style.Style)
        if s.getAttribute("family") == "paragraph"
    }
    assert modes == {"Body": ["rl-tb"], "Plain": ["rl-tb"]}
    (props,) = [
        t for t in doc.getElementsByType(style.TextProperties) if t.getAttribute("language")
    ]
    assert (props.getAttribute("language"), props.getAttribute("country")) == ("ar", None)


@pytest.mark.parametrize(
    ("kind", "part", "honest"),
    [
        ("odt", "content.xml", {"mimetype": b"application/vnd.oasis.opendocument.text"}),
        ("pptx", "ppt/slides/slide1.xml", {"[Content_Types].xml": b"<Types/>"}),
        ("epub", "OEBPS/c.xhtml", {"mimetype": b"application/epub+zip"}),
    ],
)
def test_a_file_that_lies_about_its_sizes_is_refused_cheaply(
    tmp_path: Path, kind: str, part: str, honest: dict[str, bytes]
) -> None:
    # 1 MB that inflates to 1 GB, declaring 1,000 bytes.
    data = lying_zip(part, b"<p/>" * 2**18, 1000, 1000, b"<r>", honest)
    assert len(data) < 2**20 * 1.5
    path = tmp_path / f"liar.{kind}"
    path.write_bytes(data)
    got = measure(path, kind)
    assert got.refused is not None and "holds more than the 1000 bytes it declares" in got.refused
    assert got.seconds < 5 and got.cost_mb < 300, got


def _epub_with_chapter(chapter: bytes) -> bytes:
    parts = offices.entries(offices.epub())
    parts["OEBPS/text/chapter1.xhtml"] = chapter
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), parts.pop("mimetype"))
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


MISLABELLED: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("odt-as-docx", offices.odt, "docx", "its content is OpenDocument text"),
    ("pptx-as-odt", offices.pptx, "odt", "its content is Word document or PowerPoint presentation"),
    (
        "docx-as-pptx",
        lambda: offices.zip_of({"word/document.xml": b"<w/>"}),
        "pptx",
        "not a PowerPoint",
    ),
    ("odp-as-epub", offices.odp, "epub", "its content is OpenDocument presentation"),
    (
        "epub-entities",
        lambda: _epub_with_chapter(b'<!DOCTYPE html [<!ENTITY e "x">]><html/>'),
        "epub",
        "has a DOCTYPE",
    ),
    (
        "epub-without-container",
        lambda: offices.zip_of({"mimetype": b"application/epub+zip"}),
        "epub",
        "not an EPUB book (no META-INF/container.xml)",
    ),
]


@pytest.mark.parametrize(
    ("label", "build", "kind", "message"), MISLABELLED, ids=[m[0] for m in MISLABELLED]
)
def test_a_mislabelled_or_hostile_file_is_refused_in_one_line(
    label: str, build: Callable[[], bytes], kind: str, message: str
) -> None:
    engine = FakeEngine()
    with pytest.raises(InputError, match=re.escape(message)) as err:
        Translator(engine).translate_file(build(), kind)
    assert "\n" not in str(err.value)
    assert engine.calls == []


def test_the_cli_translates_each_and_refuses_a_broken_one_with_exit_2(
    tmp_path: Path, tiny_model_dir: Path, home: Path
) -> None:
    for kind, build in BUILD.items():
        (tmp_path / f"story.{kind}").write_bytes(build())
        r = tarjama(
            "translate", f"story.{kind}", "--model", str(tiny_model_dir), home=home, cwd=tmp_path
        )
        assert r.returncode == 0, r.stderr
        out = (tmp_path / f"story.en.{kind}").read_bytes()
        assert PARAGRAPHS[kind](out) != PARAGRAPHS[kind](build())
    (tmp_path / "broken.odp").write_bytes(offices.odp()[:300])
    r = tarjama("translate", "broken.odp", "--model", str(tiny_model_dir), home=home, cwd=tmp_path)
    assert r.returncode == 2
    err = r.stderr.decode()
    assert err.count("\n") == 1 and "broken.odp" in err
    assert not (tmp_path / "broken.en.odp").exists()


def test_pdf_is_refused_with_what_to_convert_it_to() -> None:
    with pytest.raises(InputError, match=r"convert it to DOCX or ODT") as err:
        formats.kind_of("report.pdf")
    assert "\n" not in str(err.value) and ".pdf" not in formats.extensions()


def test_the_registry_reads_each_by_its_suffix_and_content() -> None:
    for kind, build in BUILD.items():
        assert formats.kind_of(f"a.{kind}") == kind
        doc: Any = formats.read(build(), kind)
        assert doc.kind == kind and doc.blocks


def test_an_epub_chapter_of_millions_of_elements_is_counted_while_it_inflates(
    tmp_path: Path,
) -> None:
    # Declares (and holds) 255 MB of <p/>: refused at the element cap, before any tree.
    data = lying_zip(
        "OEBPS/c.xhtml",
        b"<p/>" * 2**18,
        255,
        255 * 2**20,
        b"<html>",
        {"mimetype": b"application/epub+zip"},
    )
    path = tmp_path / "many.epub"
    path.write_bytes(data)
    got = measure(path, "epub")
    assert got.refused is not None and "more than 1000000 XML elements" in got.refused
    assert got.seconds < 30 and got.cost_mb < 300, got


def test_encoding_is_refused_for_an_office_file(
    tmp_path: Path, tiny_model_dir: Path, home: Path
) -> None:
    (tmp_path / "story.pptx").write_bytes(offices.pptx())
    r = tarjama(
        "translate", "story.pptx", "--encoding", "cp1256", "--model", str(tiny_model_dir),
        home=home, cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 2
    assert r.stderr.decode() == (
        "tarjama: error: --encoding is for text formats; PPTX files declare their own\n"
    )
