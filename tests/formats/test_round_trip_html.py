"""HTML structure written back as it was: the charset declaration, the DOCTYPE or its
absence, XHTML's namespace and ``xml:lang`` once each, attribute values byte for byte,
``noframes`` as written."""

from __future__ import annotations

import pytest

from tarjama.pipeline import Translator

#: Each page comes back byte for byte, but for its language and a final newline.
PAGES = [
    # libxml2's writer drops the Content-Type <meta>; a browser would then guess the charset.
    '<html lang="en"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    "<title>x</title></head><body><p>قال الرئيس.</p></body></html>",
    # No DOCTYPE in, none out (libxml2 would give it HTML 4.0 Transitional's).
    '<html lang="en"><head><meta charset="utf-8"></head><body><p>hi there</p></body></html>',
    '<!DOCTYPE html>\n<html lang="en"><body><p>hi there</p></body></html>',
    # noframes is raw text to the parser: kept as written, never escaped.
    '<html lang="en"><body><noframes><p>hello <b>x</b></p></noframes><p>ok</p></body></html>',
]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_comes_back_as_it_was(copier: Translator, page: str) -> None:
    assert (
        copier.translate_file(page.encode(), "html", translate_all=True).data
        == (page + "\n").encode()
    )


def test_attribute_values_come_back_byte_for_byte(copier: Translator) -> None:
    fragment = (
        '<p><a href=" x">link</a> and <a href="https://ar.wikipedia.org/wiki/قطر">q</a>'
        ' <img src="صورة.png" alt="x"></p>'
    )
    assert copier.translate_file(fragment.encode(), "html", translate_all=True).data == (
        fragment.encode()
    )


def test_xhtml_keeps_one_namespace_and_one_xml_lang(copier: Translator) -> None:
    page = (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="ar" lang="ar" dir="rtl"><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" /><title>t</title>'
        '</head><body><p>قال <a href=" x">الرئيس</a>.</p></body></html>\n'
    )
    out = copier.translate_file(page.encode(), "html").data.decode()
    switched = page.replace(
        'xml:lang="ar" lang="ar" dir="rtl"', 'xml:lang="en" lang="en" dir="ltr"'
    )
    assert out == switched
