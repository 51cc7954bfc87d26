"""Bad documents: each refused with one clear line before anything is translated."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tarjama import formats
from tarjama.errors import InputError
from tarjama.formats.docx import MAX_ENTRIES, MAX_UNCOMPRESSED
from tarjama.pipeline import Translator

from ..fakes import FakeEngine
from . import samples

XXE = (
    b'<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="ar"'
    b' datatype="plaintext" original="x"><body><trans-unit id="1"><source>&secret;</source>'
    b"</trans-unit></body></file></xliff>"
)
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY a "haha">'
    + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + k]), (b"&%s;" % bytes([97 + k])) * 10) for k in range(8)
    )
    + b']><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
    b'<file source-language="ar" datatype="plaintext" original="x"><body><trans-unit id="1">'
    b"<source>&i;</source>"
    b"</trans-unit></body></file></xliff>"
)
EXTERNAL_DTD = b'<?xml version="1.0"?><!DOCTYPE xliff SYSTEM "http://example.com/x.dtd"><xliff/>'


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _many_entries() -> bytes:
    return _zip({f"word/f{k}.xml": b"" for k in range(MAX_ENTRIES + 1)})


def _inflating() -> bytes:
    """A small zip that would inflate past the cap: zeros compress a thousandfold."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as entry,
    ):
        chunk = b"\0" * 2**20
        for _ in range(MAX_UNCOMPRESSED // 2**20 + 1):
            entry.write(chunk)
    return out.getvalue()


def _docx_with(part: str, xml: bytes) -> bytes:
    parts = _entries(samples.docx_document())
    parts[part] = xml
    return _zip(parts)


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


_DOCUMENT_XXE = XXE.replace(b"<xliff", b"<w:document").split(b"]>")[0] + (
    b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>"
)

# (id, format, data, part of the message)
CASES = [
    ("docx-not-a-zip", "docx", b"<html>a page</html>", "does not hold Word document"),
    ("docx-garbage", "docx", b"PK\x03\x04 not really", "not a DOCX file (not a zip archive)"),
    ("docx-other-zip", "docx", _zip({"notes.txt": b"hello"}), "not a Word document"),
    ("docx-many-entries", "docx", None, "zip entries; at most"),
    ("docx-zip-bomb", "docx", None, "a zip bomb?"),
    ("docx-xxe", "docx", None, "declares XML entities"),
    (
        "html-50mb",
        "html",
        b"<p>" + b"x" * (50 * 2**20) + b"</p>",
        "50.0 MB; a document may be at most 20 MB",
    ),
    ("html-binary", "html", b"\x89PNG\r\n\x1a\n\x00\x00", "looks binary"),
    (
        "html-is-a-zip",
        "html",
        None,
        "does not hold HTML page or fragment: its content is Word document",
    ),
    ("xliff-xxe", "xliff", XXE, "declares XML entities"),
    ("xliff-billion-laughs", "xliff", LAUGHS, "declares XML entities"),
    ("xliff-external-dtd", "xliff", EXTERNAL_DTD, "external"),
    ("xliff-is-html", "xliff", b"<!DOCTYPE html><html><p>x</p></html>", "its content is HTML"),
    ("xliff-broken", "xliff", b"<xliff version='1.2'><file>", "not well-formed XML"),
    (
        "srt-broken-timings",
        "srt",
        "1\n00:00:01,000 --> 00:00:0x,500\nنص\n".encode(),
        "broken timings",
    ),
    ("srt-is-vtt", "srt", None, "its content is WebVTT subtitles"),
    ("vtt-is-srt", "vtt", None, "its content is SubRip subtitles"),
    ("markdown-is-a-zip", "markdown", None, "its content is Word document"),
]
LAZY = {
    "docx-many-entries": _many_entries,
    "docx-zip-bomb": _inflating,
    "docx-xxe": lambda: _docx_with("word/document.xml", _DOCUMENT_XXE),
    "html-is-a-zip": samples.docx_document,
    "srt-is-vtt": samples.vtt,
    "vtt-is-srt": samples.srt,
    "markdown-is-a-zip": samples.docx_document,
}


@pytest.mark.parametrize(("case", "kind", "data", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_documents_are_refused_before_translation(
    case: str, kind: str, data: bytes | None, message: str
) -> None:
    engine = FakeEngine()
    body = data if data is not None else LAZY[case]()
    with pytest.raises(InputError) as caught:
        Translator(engine).translate_file(body, kind, where="the file")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert engine.calls == []


def test_an_entity_is_never_resolved_even_by_the_library_beneath(tmp_path: Path) -> None:
    """python-docx parses DOCX parts before tarjama sees them: the secret stays out."""
    from docx.oxml import parse_xml

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xml = _DOCUMENT_XXE.replace(b"file:///etc/passwd", secret.as_uri().encode())
    text = "".join(parse_xml(xml).itertext())
    assert "TOP-SECRET" not in text
    assert text == "&secret;"  # left as an unresolved reference, which tarjama then refuses


@pytest.mark.parametrize(
    ("name", "declared", "kind"),
    [
        ("a.html", None, "html"),
        ("a.HTM", None, "html"),
        ("a.docx", None, "docx"),
        ("a.xliff", None, "xliff"),
        ("a.xlf", None, "xliff"),
        ("a.srt", None, "srt"),
        ("a.vtt", None, "vtt"),
        ("a.md", None, "markdown"),
        ("a.txt", None, "txt"),
        ("article.ar", None, "txt"),
        ("-", None, "txt"),
        ("a.txt", "html", "html"),
    ],
)
def test_the_format_comes_from_the_extension_or_the_option(
    name: str, declared: str | None, kind: str
) -> None:
    assert formats.kind_of(name, declared) == kind


@pytest.mark.parametrize("name", ["a.pdf", "a.doc", "a.ppt", "a.rtf"])
def test_office_formats_tarjama_does_not_read_are_named(name: str) -> None:
    with pytest.raises(InputError, match="files are not supported"):
        formats.kind_of(name)


@pytest.mark.parametrize(
    ("name", "source", "target", "out"),
    [
        ("article.html", "ar", "en", "article.en.html"),
        ("article.ar.html", "ar", "en", "article.en.html"),
        ("dir/story.docx", "ar", "en", "dir/story.en.docx"),
        ("notes.en.md", "en", "ar", "notes.ar.md"),
        ("clip.srt", "ar", "en", "clip.en.srt"),
    ],
)
def test_the_output_is_named_after_the_input(name: str, source: str, target: str, out: str) -> None:
    assert formats.output_name(name, source, target) == out


def test_markup_nested_absurdly_deep_is_refused() -> None:
    engine = FakeEngine()
    deep = ("*" * 5000 + "قال" + "*" * 5000 + "\n").encode()
    with pytest.raises(InputError, match="nested more than 100 deep"):
        Translator(engine).translate_file(deep, "markdown")
    assert engine.calls == []
