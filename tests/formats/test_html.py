"""HTML golden round trips: the copy model gives the page back, the tiny model changes
every text node and nothing else; inline tags follow their words."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree

from tarjama.formats.html import HtmlDocument
from tarjama.pipeline import Translator

from ..fakes import FakeEngine
from . import samples
from .trees import ARABIC, html_root, nodes, shape, texts

#: Elements whose text is never translated in the sample.
KEPT = {"code", "pre", "style", "span"}  # the only <span> is class="notranslate"


def test_the_copy_model_gives_the_page_back(copier: Translator) -> None:
    page = samples.html_page()
    result = copier.translate_file(page, "html")
    assert list(nodes(html_root(result.data))) == list(nodes(html_root(page)))
    assert [i for i in result.document.issues if i.check == "markup"] == []


def test_a_cms_fragment_comes_back_byte_for_byte(copier: Translator) -> None:
    fragment = samples.html_fragment()
    assert copier.translate_file(fragment, "html").data == fragment


def test_lang_and_dir_name_the_target(copier: Translator) -> None:
    root = html_root(copier.translate_file(samples.html_page(), "html").data)
    assert (root.get("lang"), root.get("dir")) == ("en", "ltr")


def test_bold_comes_back_around_the_same_words(copier: Translator) -> None:
    result = copier.translate_file(samples.html_page(), "html")
    root = html_root(result.data)
    assert [b.text for b in root.iter("b")] == ["سالم النعيمي"]
    (first,) = [s for s in result.document.segments if s.markup and "<g1>سالم" in s.markup]
    assert first.target_markup == first.markup
    assert first.alignment == tuple((i, i) for i in range(len(first.source.split())))


def test_the_tiny_model_changes_every_text_and_no_tag(tiny: Translator) -> None:
    page = samples.html_page()
    result = tiny.translate_file(page, "html")
    before, after = html_root(page), html_root(result.data)
    assert shape(after, ignore_attributes={"lang", "dir", "alt", "title"}) == shape(
        before, ignore_attributes={"lang", "dir", "alt", "title"}
    )
    translated = texts(after, skip=KEPT)
    assert len(translated) == len(texts(before, skip=KEPT))
    assert not [t for t in translated if ARABIC.search(t)]
    # Kept: the notranslate span, the code, the pre and the style.
    assert after.find(".//span").text == samples.KEPT
    assert after.find(".//code").text == samples.CODE
    assert after.find(".//pre").text == samples.CODE
    # Links, ids and classes stay; alt and title are translated.
    link = after.find(".//a")
    assert link.get("href") == samples.LINK
    assert after.find(".//article").get("id") == "story"
    assert after.find(".//article").get("class") == "story"
    for value in (link.get("title"), after.find(".//img").get("alt"), after.findtext(".//title")):
        assert value and not ARABIC.search(value)
    # The report: one paragraph per block (runs of text and the two attributes).
    assert len(result.document.paragraphs) == len(HtmlDocument(page).blocks)


def test_inline_tags_are_kept_around_some_words(tiny: Translator) -> None:
    """With random weights the alignment is unsure: the tags are placed by order, still
    around words, and each sentence that needed it says so."""
    result = tiny.translate_file(samples.html_fragment(), "html")
    root = html_root(result.data)
    for tag in ("b", "a", "i"):
        (el,) = root.iter(tag)
        assert el.text and el.text.strip()
    for seg in result.document.segments:
        if seg.markup is not None and "<g" in seg.markup:
            assert seg.target_markup is not None and seg.target_markup.count(
                "<g"
            ) == seg.markup.count("<g")


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ('<p>قال <span translate="no">Reuters</span> إن الخطة جاهزة.</p>', "Reuters"),
        ("<p>قال <!-- a comment --> إن الخطة جاهزة.</p>", "<!-- a comment -->"),
        ('<div translate="no"><p>نص محفوظ.</p></div>', "نص محفوظ."),
        ("<p>قال <script>var x = 1;</script> إن الخطة جاهزة.</p>", "var x = 1;"),
    ],
)
def test_untouched_content_stays(tiny: Translator, html: str, kept: str) -> None:
    out = tiny.translate_file(html.encode(), "html").data.decode()
    assert kept in out
    assert not ARABIC.search(out.replace(kept, "")) or kept.startswith("نص")


def test_entities_stay_escaped_and_the_model_cannot_write_a_tag() -> None:
    # The fake engine writes "<text>": markup-like output must stay text.
    html = "<p>الخطة &amp; الميناء جاهزة.</p>"
    out = Translator(FakeEngine()).translate_file(html.encode(), "html").data.decode()
    assert out == "<p>&lt;الخطة &amp; الميناء جاهزة.&gt;</p>"
    assert len(lxml.html.fragment_fromstring(out)) == 0


def test_a_fragment_s_lang_and_dir_flip(copier: Translator) -> None:
    out = copier.translate_file('<div lang="ar" dir="rtl"><p>جملة.</p></div>'.encode(), "html")
    div = lxml.html.fragment_fromstring(out.data.decode())
    assert (div.get("lang"), div.get("dir")) == ("en", "ltr")


def test_a_page_in_windows_1256_is_read_and_written_as_utf8(copier: Translator) -> None:
    page = '<html><head><meta charset="windows-1256"></head><body><p>جملة.</p></body></html>'
    out = copier.translate_file(page.encode("cp1256"), "html").data.decode("utf-8")
    assert "جملة." in out
    assert 'charset="utf-8"' in out


def test_xhtml_stays_xml(copier: Translator) -> None:
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="ar" dir="rtl"><head><title>عنوان</title>'
        "</head><body><p>جملة.<br/>ثانية</p></body></html>"
    )
    out = copier.translate_file(page.encode(), "html").data
    root = etree.fromstring(out)  # still well-formed XML, <br/> and all
    assert out.startswith(b"<?xml")
    assert (root.get("lang"), root.get("dir")) == ("en", "ltr")
    assert root.find(".//{http://www.w3.org/1999/xhtml}br") is not None
