"""Placement on tokens: with the copy model every tag edge, kept-whole element and line
break comes back between the same characters, punctuation on the side where it was; a tag
that held words never comes back empty; placing thousands of codes takes about a second."""

from __future__ import annotations

import io
import time
from collections.abc import Sequence

import docx
import pytest

from tarjama.engines import Hypothesis
from tarjama.errors import InputError
from tarjama.formats.inline import MAX_CODES, Block, Close, Code, Open, Point, check_tokens
from tarjama.formats.placement import Sentence, place
from tarjama.pipeline import Translator

from ..fakes import FakeEngine

#: Each page is written back as it was (the serialiser writes ``<br>`` for ``<br/>``).
PAGES = [
    "<p>قال <span>الرئيس</span>. ثم ذهب</p>",
    "<p>هذا <b>world</b>. ok</p>",
    '<p>انظر (<a href="x">الرابط</a>). ثم عاد</p>',
    '<p>انظر <a href="x">الرابط</a>: ثم ذهب</p>',
    "<p>he had a <code>X</code>, who went</p>",
    '<p>he had a <span translate="no">X</span>, who went</p>',
    "<p>First line<br>second line.</p>",
    "<p>قال الرئيس<br>إن الخطة جاهزة.</p>",
    "<p>النص<b>الملاصق</b>, هنا</p>",
]


@pytest.mark.parametrize("page", PAGES)
def test_html_tags_keep_their_side_of_punctuation_and_breaks(copier: Translator, page: str) -> None:
    result = copier.translate_file(page.encode(), "html", translate_all=True)
    assert result.data.decode() == page
    assert [i for i in result.document.issues if i.check == "markup"] == []


def test_the_arabic_comma_after_a_link_stays_outside_it(copier: Translator) -> None:
    page = '<p>انظر <a href="x">الرابط</a>، ثم ذهب</p>'
    out = copier.translate_file(page.encode(), "html").data.decode()
    # Rendering for English writes the comma in Latin form; it stays after the link.
    assert '<a href="x">الرابط</a>, ثم' in out


def test_a_break_reaches_the_model_as_a_space_and_comes_back_between_the_words(
    copier: Translator,
) -> None:
    result = copier.translate_file(b"<p>First line<br>second line.</p>", "html", translate_all=True)
    assert [s.source for s in result.document.segments] == ["First line second line."]


def test_webvtt_bold_keeps_the_full_stop_outside(copier: Translator) -> None:
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello <b>world</b>. ok\n"
    assert copier.translate_file(vtt.encode(), "vtt", translate_all=True).data.decode() == vtt


def _docx(*runs: tuple[str, bool]) -> bytes:
    document = docx.Document()
    paragraph = document.add_paragraph()
    for text, tab in runs:
        run = paragraph.add_run(text)
        if tab:
            run.add_tab()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_docx_tab_between_words_stays_between_them(copier: Translator) -> None:
    data = _docx(("Overview", True), ("5 pages.", False))
    result = copier.translate_file(data, "docx", translate_all=True)
    (paragraph,) = docx.Document(io.BytesIO(result.data)).paragraphs
    assert paragraph.text == "Overview\t5 pages."
    assert [s.source for s in result.document.segments] == ["Overview 5 pages."]


def test_a_tag_over_words_the_translation_drops_still_holds_a_word() -> None:
    code = Code("b", True)
    block = Block(["قال ", Open(code), "الرئيس", Close(code), " إن الخطة جاهزة."])
    placed = place(block, [Sentence(0, len(block.text), "Yes.", None)])
    assert check_tokens(placed.tokens, block.codes) is None
    assert placed.tokens == [Open(code), "Yes", Close(code), "."]
    assert placed.widened == {0: ["b"]}


class _Terse(FakeEngine):
    """Answers every sentence with one word."""

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, num_alternatives: int = 0
    ) -> list[Hypothesis]:
        return [Hypothesis("Yes.", -0.1) for _ in texts]


def test_a_short_translation_keeps_the_link_on_a_word_and_says_so() -> None:
    page = '<p>قال <a href="x">الرئيس</a> إن الخطة جاهزة.</p>'
    result = Translator(_Terse()).translate_file(page.encode(), "html")
    assert result.data.decode() == '<p><a href="x">Yes</a>.</p>'
    (issue,) = [i for i in result.document.issues if "held no word" in i.message]
    assert issue.severity == "warning"


def _many(n: int) -> Block:
    tokens: list[str | Open | Close | Point] = []
    for k in range(n):
        code = Code("g", True)
        tokens += [Open(code), f"w{k}", Close(code), ", ", Point(Code("x", False)), " "]
    return Block([*tokens, "end."])


def test_placing_thousands_of_codes_is_near_linear() -> None:
    block = _many(MAX_CODES // 2)
    links = tuple((i, i) for i in range(len(block.text.split())))
    start = time.perf_counter()
    aligned = place(block, [Sentence(0, len(block.text), block.text, links)])
    ordered = place(block, [Sentence(0, len(block.text), "x " * 500, None)])
    elapsed = time.perf_counter() - start
    assert aligned.tokens == block.tokens
    assert check_tokens(ordered.tokens, block.codes) is None
    assert elapsed < 5, elapsed  # quadratic placement took minutes


def test_a_sentence_with_too_many_codes_is_refused() -> None:
    block = _many(MAX_CODES)
    with pytest.raises(InputError, match="inline codes"):
        block.local(0, len(block.text))
