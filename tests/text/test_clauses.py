"""Cutting over-long sentences into pieces that fit a model's limit."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tarjama.text import cut_clauses


def max_len(n: int) -> Callable[[str], bool]:
    return lambda text: len(text) <= n


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, ["short"]),
        ("", 10, []),
        ("   ", 10, []),
        # the strongest clause mark wins: ؛ before ، and :
        ("أولا، ثانيا؛ ثالثا، رابعا", 14, ["أولا، ثانيا؛", "ثالثا، رابعا"]),
        ("one, two; three, four", 12, ["one, two;", "three, four"]),
        ("قال الوزير: إن الخطة جاهزة", 15, ["قال الوزير:", "إن الخطة جاهزة"]),
        # pieces are packed greedily while they fit
        ("a, b, c, d, e, f", 7, ["a, b,", "c, d,", "e, f"]),
        # no clause mark: cut between words
        ("one two three four five", 9, ["one two", "three", "four five"]),
        # numbers keep their commas (no space after them)
        ("12,000 people, 3,500 cars", 14, ["12,000 people,", "3,500 cars"]),
        # a word longer than the limit is cut as a last resort
        ("abcdefghij", 4, ["ab", "cde", "fg", "hij"]),
    ],
)
def test_cut_clauses(text: str, limit: int, expected: list[str]) -> None:
    pieces = cut_clauses(text, max_len(limit))
    assert pieces == expected
    assert all(len(p) <= limit for p in pieces)


def test_nothing_is_dropped() -> None:
    text = "وقال الوزير، في مؤتمر صحافي عقده في الرياض: إن الخطة؛ التي أعلنت أمس، طموحة " * 20
    pieces = cut_clauses(text, max_len(60))
    assert all(len(p) <= 60 for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_a_megabyte_without_marks_is_cut_quickly() -> None:
    text = "word " * 200_000
    pieces = cut_clauses(text, max_len(500))
    assert all(len(p) <= 500 for p in pieces)
    assert sum(len(p.split()) for p in pieces) == 200_000


def _greedy(words: list[str], limit: int) -> list[str]:
    """Reference packing: add words one by one while the run fits."""
    out: list[str] = []
    for word in words:
        if out and len(out[-1]) + 1 + len(word) <= limit:
            out[-1] += " " + word
        else:
            out.append(word)
    return out


@pytest.mark.parametrize("limit", [12, 40, 200])
def test_packing_is_greedy_with_few_calls(limit: int) -> None:
    words = [w * (1 + i % 7) for i, w in enumerate("abcdefghij" * 300)]
    calls = 0

    def fits(text: str) -> bool:
        nonlocal calls
        calls += 1
        return len(text) <= limit

    pieces = cut_clauses(" ".join(words), fits)
    assert pieces == _greedy(words, limit)
    # Galloping search: far fewer calls than one per word once pieces hold many words.
    if limit >= 200:
        assert calls < len(words) // 2
