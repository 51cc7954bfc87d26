"""Blocks: text and codes from tokens, the codes of a sentence, and the markup notation
the memory keys sentences by."""

from __future__ import annotations

import pytest

from tarjama.formats.inline import (
    Block,
    Close,
    Code,
    Open,
    Point,
    Token,
    check_tokens,
    parse_markup,
    strip_markup,
)

B, A, BR = Code("b", True), Code("a", True), Code("br", False)
#: قال <b>الرئيس</b> إن <br/>الخطة جاهزة. <a>جملة ثانية.</a>
BLOCK = Block(
    [
        "قال ",
        Open(B),
        "الرئيس",
        Close(B),
        " إن ",
        Point(BR),
        "الخطة جاهزة. ",
        Open(A),
        "جملة ثانية.",
        Close(A),
    ]
)


def test_text_spans_and_marks_come_from_the_tokens() -> None:
    assert BLOCK.text == "قال الرئيس إن الخطة جاهزة. جملة ثانية."
    assert [(s.code, s.start, s.end) for s in BLOCK.spans] == [(B, 4, 10), (A, 27, 38)]
    assert [(m.code, m.at) for m in BLOCK.marks] == [(BR, 14)]
    assert BLOCK.codes == [B, BR, A]


def test_a_sentence_holds_only_the_codes_inside_it() -> None:
    first = BLOCK.local(0, 26)
    assert [(n, item.code) for n, item, _, _ in first] == [(1, B), (2, BR)]
    # <a> covers the whole second sentence: nothing to place inside it.
    assert BLOCK.local(27, 38) == []
    assert BLOCK.markup(27, 38) is None


def test_markup_numbers_codes_in_their_sentence() -> None:
    assert BLOCK.markup(0, 26) == "قال <g1>الرئيس</g1> إن <x2/>الخطة جاهزة."


def test_a_code_running_past_the_sentence_is_clipped_to_it() -> None:
    span = Code("i", True)
    block = Block(["أولى ", Open(span), "ثانية. ثالثة", Close(span), " رابعة."])
    # "أولى ثانية." then "ثالثة رابعة.": <i> opens in the first and closes in the second.
    assert block.markup(0, 11) == "أولى <g1>ثانية.</g1>"
    assert block.markup(12, 24) == "<g1>ثالثة</g1> رابعة."


def test_text_that_looks_like_markup_is_escaped() -> None:
    block = Block(["a <b> & ", Open(B), "c", Close(B), " d"])
    markup = block.markup(0, len(block.text))
    assert markup == "a &lt;b&gt; &amp; <g1>c</g1> d"
    parsed = parse_markup(markup)
    assert parsed is not None and parsed.text == block.text
    assert parsed.spans == {1: (8, 9)}


def test_markup_reads_back() -> None:
    parsed = parse_markup("The <g1>president</g1> said <x2/>the plan is ready.")
    assert parsed is not None
    assert parsed.text == "The president said the plan is ready."
    assert parsed.spans == {1: (4, 13)}
    assert parsed.marks == {2: 19}


@pytest.mark.parametrize(
    "markup",
    ["<g1>open", "<b>x</b>", "<g1>a</g1><g1>b</g1>", "<x1>text</x1>", "<!DOCTYPE x>a"],
)
def test_markup_that_is_not_ours_is_refused(markup: str) -> None:
    assert parse_markup(markup) is None
    assert strip_markup(markup) is None


@pytest.mark.parametrize(
    ("tokens", "message"),
    [
        ([Open(B), "x"], "never closed"),
        ([Close(B)], "closed out of order"),
        ([Open(B), Open(A), Close(B), Close(A)], "closed out of order"),
    ],
)
def test_blocks_must_be_well_formed(tokens: list[object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Block(tokens)  # type: ignore[arg-type]


def test_check_tokens_finds_lost_duplicated_and_unclosed_codes() -> None:
    codes = BLOCK.codes
    assert check_tokens(BLOCK.tokens, codes) is None
    assert check_tokens([Open(B), "x", Close(B), Point(BR)], codes) == "codes lost or duplicated"
    doubled: list[Token] = [Point(BR), Point(BR), Open(B), Close(B), Open(A), Close(A)]
    assert check_tokens(doubled, codes) == "codes lost or duplicated"
    assert check_tokens([Open(B), Point(BR), Open(A), Close(A)], codes) == "b left open"
