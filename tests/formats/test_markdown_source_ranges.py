"""Markdown is edited only in the text ranges of its source: a translation that changes
every word leaves every piece of markup as it was written."""

from __future__ import annotations

from markdown_it import MarkdownIt

from tarjama import Translator

DOCUMENT = (
    "قال [الرئيس][ref] إن __الخطة__ جاهزة، و *(*ذهب*)* إلى [الميناء](<b)c> 't').  \n"
    "ثم عاد [المدير]\\\n"
    "وكتب `رمز  ما` و<span>كلمة</span> &copy;\n"
    "\n"
    "> اقتباس **قوي** هنا\n"
    "\n"
    "[ref]: https://x.com/a_b\n"
    "[المدير]: /m\n"
)


def test_markup_stays_as_written_when_the_words_change(tiny: Translator) -> None:
    out = tiny.translate_file(DOCUMENT.encode(), "markdown").data.decode()
    assert out != DOCUMENT
    assert "][ref]" in out  # a reference link stays one
    assert out.count("__") == 2 and out.count("**") == 2  # delimiters as written
    assert out.count("*") == 8 and "> " in out
    assert "](<b)c> 't')" in out  # the destination and title byte for byte
    assert out.split("\n")[0].endswith("  ")  # a hard break's spaces
    assert out.split("\n")[1].endswith("\\")  # and its backslash
    assert "`رمز  ما`" in out and "<span>" in out and "</span>" in out
    assert out.endswith("\n[ref]: https://x.com/a_b\n[المدير]: /m\n")
    md = MarkdownIt("commonmark")
    rendered = md.render(out)
    assert rendered.count("<a href") == 3 and rendered.count("<strong>") == 2
    assert rendered.count("<em>") == 2 and rendered.count("<br />") == 2
    assert "<blockquote>" in rendered


def test_spaces_against_markup_stay_as_they_were(copier: Translator) -> None:
    """markdown-it-py's issue-fixes: an image alone in a link gains no space inside it,
    and the space after an empty link stays."""
    for text in (".\n[![a \\* b](x)](y)\n.\n", ".\n[](&#35y;) &#35y;\n.\n"):
        out = copier.translate_file(text.encode(), "markdown", translate_all=True).data
        assert out.decode() == text
