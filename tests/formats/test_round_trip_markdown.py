"""Markdown written back as it was: front matter untouched, a numbered-looking line
escaped at its dot, link destinations that need angle brackets keep them."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from tarjama.pipeline import Translator

DOCUMENTS = [
    "See [the link](<b)c>) here, and *(*foo*)*.\n",
    "14\\. not a list\n",
    "---\nanother_header: x\ntitle: قال\n---\n\nقال **الرئيس** ثم ذهب.\n",
    '+++\ntitle = "x_y"\n+++\n\nقال الرئيس.\n',
    'قال [الرئيس](https://x.com/a_(b) "t") ثم.\n',
    "[a]() and [b](<c d>)\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_markdown_comes_back_as_written(copier: Translator, text: str) -> None:
    out = copier.translate_file(text.encode(), "markdown", translate_all=True).data.decode()
    assert out == text
    md = MarkdownIt("commonmark")
    assert md.render(out) == md.render(text)


@pytest.mark.parametrize(
    "text",
    [
        '\\![foo]\n\n[foo]: /url "title"\n',  # not an image: the "!" stays escaped
        "\\&ouml; not a character entity\n",
    ],
)
def test_escaped_markup_stays_text(copier: Translator, text: str) -> None:
    out = copier.translate_file(text.encode(), "markdown", translate_all=True).data.decode()
    md = MarkdownIt("commonmark")
    assert md.render(out) == md.render(text)
