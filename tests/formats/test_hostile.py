"""Hostile documents come back whole or are refused cheaply: each case asserts the outcome,
and the time and peak memory of a fresh process that reads it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tarjama.errors import InputError
from tarjama.formats.html import MAX_DEPTH
from tarjama.formats.html import MAX_ELEMENTS as MAX_HTML_ELEMENTS
from tarjama.formats.markdown import MAX_LINES, MAX_NESTING
from tarjama.formats.zips import MAX_ELEMENTS
from tarjama.pipeline import Translator

from ..fakes import FakeEngine
from . import samples
from .hostile import docx_parts, lying_zip, measure

pytestmark = pytest.mark.timing

#: Bounds for a loaded two-core machine; the figures measured are in docs/formats.md.
SECONDS = 30.0
#: Peak memory a document may add to a fresh process (whose imports alone take about 350 MB:
#: the bound is on what reading the document costs).
PEAK_MB = 300.0


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_page_with_a_12_mb_inline_image_comes_back_whole(tmp_path: Path) -> None:
    image = "A" * (12 * 2**20)
    page = (
        "<!DOCTYPE html><html><body><p>الفقرة الأولى</p>"
        f'<p><img src="data:image/png;base64,{image}"></p><p>الفقرة الثانية</p></body></html>'
    )
    got = measure(_write(tmp_path, "page.html", page.encode()), "html")
    assert got.refused is None
    assert got.output is not None
    # the fake engine writes <text>: both paragraphs translated, the image whole between them
    first = got.output.index("&lt;الفقرة الأولى&gt;")
    second = got.output.index("&lt;الفقرة الثانية&gt;")
    assert first < got.output.index(f"base64,{image}") < second
    assert got.seconds < SECONDS
    assert got.cost_mb < PEAK_MB


def test_nesting_past_the_limit_is_refused_not_cut() -> None:
    deep = ("<div>" * (MAX_DEPTH + 10) + "<p>نص عميق</p>" + "</div>" * (MAX_DEPTH + 10)).encode()
    engine = FakeEngine()
    with pytest.raises(InputError, match=f"at most {MAX_DEPTH} levels"):
        Translator(engine).translate_file(deep, "html", where="the page")
    assert engine.calls == []
    # far past libxml2's own 2048 levels: still one line, not a truncated page
    with pytest.raises(InputError):
        Translator(engine).translate_file(deep * 10, "html", where="the page")


def test_nesting_within_the_limit_is_translated_to_the_bottom() -> None:
    depth = MAX_DEPTH - 10
    page = ("<div>" * depth + "<p>نص عميق</p>" + "</div>" * depth).encode()
    out = Translator(FakeEngine()).translate_file(page, "html", where="the page")
    assert "<p>&lt;نص عميق&gt;</p>" in out.data.decode()
    assert out.data.decode().count("<div>") == depth


def test_a_page_of_too_many_elements_is_refused_before_its_blocks_are_built(
    tmp_path: Path,
) -> None:
    page = b"<html><body>" + "<p>نص</p>".encode() * MAX_HTML_ELEMENTS + b"</body></html>"
    got = measure(_write(tmp_path, "many.html", page), "html")
    assert got.refused is not None and f"at most {MAX_HTML_ELEMENTS} are read" in got.refused
    assert got.seconds < SECONDS
    assert got.cost_mb < PEAK_MB


def test_markdown_of_too_many_lines_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    text = "نص\n\n" * (MAX_LINES // 2 + 1)
    got = measure(_write(tmp_path, "many.md", text.encode()), "markdown")
    assert got.refused is not None and f"at most {MAX_LINES} are read" in got.refused
    assert got.seconds < SECONDS
    assert got.cost_mb < PEAK_MB


def test_a_docx_that_lies_about_its_sizes_is_refused_cheaply(tmp_path: Path) -> None:
    # a Word document whose body, 1 MB, inflates to 1 GB while declaring 1,000 bytes
    parts = docx_parts(samples.docx_document())
    del parts["word/document.xml"]
    data = lying_zip("word/document.xml", b"<p/>" * 2**18, 1000, 1000, b"<r>", parts)
    assert len(data) < 1.1 * 2**20
    got = measure(_write(tmp_path, "liar.docx", data), "docx")
    assert got.refused is not None and "more than the 1000 bytes it declares" in got.refused
    assert got.seconds < SECONDS
    assert got.cost_mb < PEAK_MB


def test_millions_of_tiny_elements_are_counted_while_parsing(tmp_path: Path) -> None:
    # declares 255 MB (under the byte cap) of <p/>: stopped at the element cap
    data = lying_zip("word/document.xml", b"<p/>" * 2**18, 255, 255 * 2**20, head=b"<r>")
    got = measure(_write(tmp_path, "tiny.docx", data), "docx")
    assert got.refused is not None and f"more than {MAX_ELEMENTS} XML elements" in got.refused
    assert got.seconds < SECONDS
    assert got.cost_mb < PEAK_MB


def _docx_with(part: str, xml: bytes) -> bytes:
    parts = docx_parts(samples.docx_document())
    parts[part] = xml
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize("part", ["[Content_Types].xml", "_rels/.rels"])
def test_a_doctype_in_a_package_part_is_refused(part: str) -> None:
    with zipfile.ZipFile(io.BytesIO(samples.docx_document())) as archive:
        xml = archive.read(part)
    head, _, rest = xml.partition(b"?>")
    doctyped = head + b"?><!DOCTYPE Types>" + rest
    engine = FakeEngine()
    with pytest.raises(InputError, match="DOCTYPE"):
        Translator(engine).translate_file(_docx_with(part, doctyped), "docx", where="the file")
    assert engine.calls == []


def test_the_sample_docx_still_reads() -> None:
    out = Translator(FakeEngine()).translate_file(samples.docx_document(), "docx", where="f")
    assert out.data.startswith(b"PK")


_DECLARED = b'<html><head><meta charset="windows-1256"></head><body><p>\xe4\xd5</p>'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_DECLARED + b"\x00</body></html>", "looks binary"),
        (_DECLARED + b" " * (20 * 2**20) + b"</body></html>", "a document may be at most 20 MB"),
    ],
    ids=["nul", "over-20-mb"],
)
def test_a_declared_charset_skips_neither_the_cap_nor_the_nul_check(
    body: bytes, message: str
) -> None:
    engine = FakeEngine()
    with pytest.raises(InputError, match=message):
        Translator(engine).translate_file(body, "html", where="the page")
    assert engine.calls == []


def test_a_declared_charset_still_decodes() -> None:
    out = Translator(FakeEngine()).translate_file(_DECLARED + b"</body></html>", "html")
    assert "&lt;نص&gt;" in out.data.decode()


@pytest.mark.parametrize("data", [b"", b"\n", b"  \n\n"])
def test_an_empty_vtt_gives_empty_output_like_other_empty_files(data: bytes) -> None:
    for kind in ("vtt", "srt", "html", "markdown"):
        engine = FakeEngine()
        assert Translator(engine).translate_file(data, kind, where="f").data.strip() == b""
        assert engine.calls == []


def test_markdown_nested_past_the_limit_is_refused_not_left_untranslated() -> None:
    deep = [
        "> " * (MAX_NESTING + 5) + "نص\n",
        "".join("  " * i + "- نص\n" for i in range(MAX_NESTING + 5)),
    ]
    for text in deep:
        engine = FakeEngine()
        with pytest.raises(InputError, match=f"more than {MAX_NESTING} levels"):
            Translator(engine).translate_file(text.encode(), "markdown", where="f")
        assert engine.calls == []
    within = "> " * (MAX_NESTING - 5) + "نص\n"
    out = Translator(FakeEngine()).translate_file(within.encode(), "markdown").data.decode()
    assert "<نص>" in out
