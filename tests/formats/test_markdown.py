"""Markdown: only the text is rewritten; syntax, links, code spans and blocks stay."""

from __future__ import annotations

from markdown_it import MarkdownIt

from tarjama.pipeline import Translator

from ..fakes import FakeEngine
from . import samples
from .trees import ARABIC


def _shape(text: str) -> list[tuple[str, str, str]]:
    """Block and inline token types, markup and code content: the document's syntax."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    out = []
    for token in md.parse(text):
        out.append(
            (
                token.type,
                token.markup,
                token.content if "code" in token.type or token.type == "fence" else "",
            )
        )
        for child in token.children or []:
            keep = child.content if child.type in ("code_inline", "image") else ""
            out.append((child.type, child.markup, keep))
    return out


def test_the_copy_model_gives_the_file_back(copier: Translator) -> None:
    data = samples.markdown()
    assert copier.translate_file(data, "markdown").data == data


def test_the_tiny_model_keeps_the_syntax(tiny: Translator) -> None:
    source = samples.markdown().decode()
    out = tiny.translate_file(source.encode(), "markdown").data.decode()
    assert _shape(out) == _shape(source)
    assert len(out.split("\n")) == len(source.split("\n"))
    assert f"]({samples.LINK})" in out
    assert f"`{samples.CODE}`" in out
    assert f"```\n{samples.CODE}\n```" in out
    assert "![صورة الميناء الجديد](port.jpg)" in out  # an image is kept as written
    prose = out.replace(samples.CAPTION, "")
    assert not ARABIC.search(prose)


def test_text_that_would_become_markup_is_escaped() -> None:
    # The fake engine writes "<text>": the brackets must not become inline HTML.
    out = Translator(FakeEngine()).translate_file(
        "قال *الرئيس* إن الخطة جاهزة.\n".encode(), "markdown"
    )
    text = out.data.decode()
    assert text.startswith("\\<")
    html = MarkdownIt("commonmark").render(text)
    assert "<em>" in html and "&lt;" in html
