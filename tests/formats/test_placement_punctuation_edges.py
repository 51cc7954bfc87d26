"""A tag edge between two punctuation marks, placed by the word alignment in a word the
translation changed (here: rendering glued one more full stop on), stays between the same
two marks: the tag keeps exactly the punctuation it wrapped, and what was outside stays
outside. markdown-it-py's ``.`` / ``_(hai)_.`` / ``.`` came back ``_(hai_).``."""

from __future__ import annotations

import pytest

from tarjama import Translator
from tarjama.formats.inline import Block, Close, Code, Open, Token, check_tokens
from tarjama.formats.placement import Sentence, place

CODE = Code("em", True)


def _placed(
    tokens: list[Token], translation: str, links: tuple[tuple[int, int], ...]
) -> list[Token]:
    block = Block(tokens)
    placed = place(block, [Sentence(0, len(block.text), translation, links)])
    assert check_tokens(placed.tokens, block.codes) is None
    assert placed.by_order == {}  # the alignment placed it, not the fallback
    return placed.tokens


@pytest.mark.parametrize(
    ("tokens", "translation", "links", "expected"),
    [
        # markdown-it-py's paragraph of one-character lines, as the copy model renders it.
        (
            [". ", Open(CODE), "(hai)", Close(CODE), ". ."],
            ". (hai)..",
            ((0, 0), (1, 1)),
            [". ", Open(CODE), "(hai)", Close(CODE), ".."],
        ),
        # A tag over punctuation alone keeps that punctuation, and no more.
        (
            ["x ", Open(CODE), "(!)", Close(CODE), ". ."],
            "x (!)..",
            ((0, 0), (1, 1)),
            ["x ", Open(CODE), "(!)", Close(CODE), ".."],
        ),
        # A translated word: the closing bracket stays inside, the full stops outside.
        (
            ["قال ", Open(CODE), "(الرابط)", Close(CODE), ". ."],
            "said (link)..",
            ((0, 0), (1, 1)),
            ["said ", Open(CODE), "(link)", Close(CODE), ".."],
        ),
        # The opening edge likewise: after the full stop, before the bracket.
        (
            ["x .", Open(CODE), "(hai)", Close(CODE), " y"],
            "x ..(hai) y",
            ((0, 0), (1, 1), (2, 2)),
            ["x ..", Open(CODE), "(hai)", Close(CODE), " y"],
        ),
    ],
)
def test_an_edge_between_punctuation_marks_stays_between_them(
    tokens: list[Token],
    translation: str,
    links: tuple[tuple[int, int], ...],
    expected: list[Token],
) -> None:
    assert _placed(tokens, translation, links) == expected


def test_markdown_emphasis_between_punctuation_round_trips(copier: Translator) -> None:
    source = ".\n_(hai)_.\n.\n"
    assert copier.translate_file(source.encode(), "markdown", translate_all=True).data == (
        source.encode()
    )
