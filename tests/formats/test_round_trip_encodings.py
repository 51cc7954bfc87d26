"""Encodings: UTF-16 and UTF-32 by their byte-order mark everywhere; legacy single-byte
documents (windows-1256, ISO-8859-6, windows-1252) by detection; the output is UTF-8 and
says so."""

from __future__ import annotations

import logging

import pytest

from tarjama.document import decode_bytes
from tarjama.errors import InputError
from tarjama.pipeline import Translator

SRT = "1\n00:00:01,000 --> 00:00:02,000\nقال الرئيس إن الخطة جاهزة.\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_a_utf16_or_utf32_srt_translates(copier: Translator, codec: str) -> None:
    data = SRT.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    assert copier.translate_file(data, "srt").data.decode("utf-8") == SRT + "\n"


def test_plain_text_with_a_utf16_bom_is_read() -> None:
    assert decode_bytes("نص\n".encode("utf-16")) == "نص\n"


def test_a_bom_that_lies_is_refused_in_one_line() -> None:
    with pytest.raises(InputError, match="UTF-16-LE byte-order mark"):
        decode_bytes(b"\xff\xfe\x00\xd8")  # a lone surrogate


PAGE = "<html><head><title>x</title></head><body><p>قال الرئيس إن الخطة جاهزة.</p></body></html>"


def test_an_undeclared_windows_1256_page_translates(
    copier: Translator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        out = copier.translate_file(PAGE.encode("cp1256"), "html").data.decode("utf-8")
    assert "<p>قال الرئيس إن الخطة جاهزة.</p>" in out
    assert "read it as cp1256" in caplog.text


def test_a_declared_windows_1256_page_says_utf8_after(copier: Translator) -> None:
    page = PAGE.replace(
        "<head>",
        '<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">',
    )
    out = copier.translate_file(page.encode("cp1256"), "html").data.decode("utf-8")
    assert '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">' in out
    assert "<p>قال الرئيس إن الخطة جاهزة.</p>" in out


def test_windows_1252_subtitles_translate(copier: Translator) -> None:
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nGuantánamo, café, déjà vu.\n"
    result = copier.translate_file(vtt.encode("cp1252"), "vtt", translate_all=True)
    # The copy model's vocabulary has no accented letters: the source shows what was read.
    assert [s.source for s in result.document.segments] == ["Guantánamo, café, déjà vu."]
    result.data.decode("utf-8")
