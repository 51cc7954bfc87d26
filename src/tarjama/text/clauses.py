"""Cutting an over-long sentence into pieces that fit a model's input limit."""

from __future__ import annotations

import re
from collections.abc import Callable

# Clause boundaries, strongest first: a cut after one of these reads naturally.
_CLAUSE_MARKS = (r"[؛;]", r"[:]", r"[،,]")


def cut_clauses(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Split ``text`` into consecutive pieces that each satisfy ``fits``.

    Cuts prefer clause marks (؛ ; : ، ,), then spaces; a single word too long for the
    model is cut at the middle as a last resort. Joining the pieces with single spaces
    gives back the text (modulo whitespace at the cuts): nothing is dropped.
    """
    text = text.strip()
    if not text or fits(text):
        return [text] if text else []
    for mark in _CLAUSE_MARKS:
        pieces = _split_after(text, mark)
        if len(pieces) > 1:
            return _pack(pieces, fits)
    words = text.split()
    if len(words) > 1:
        return _pack(words, fits)
    half = len(text) // 2
    return cut_clauses(text[:half], fits) + cut_clauses(text[half:], fits)


def _split_after(text: str, mark: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for m in re.finditer(mark + r"\s+", text):
        pieces.append(text[start : m.start() + 1].strip())
        start = m.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def _pack(pieces: list[str], fits: Callable[[str], bool]) -> list[str]:
    """Greedily join neighbouring pieces while they fit; recurse into pieces that don't.

    The longest run that fits is found by galloping then bisecting, so a long text costs
    O(n log n) calls of ``fits`` on growing runs, not one call per added piece (which is
    quadratic when ``fits`` tokenizes its argument). Adding a piece never makes a run
    shorter, so the result is the same greedy packing.
    """
    out: list[str] = []
    i, n = 0, len(pieces)
    while i < n:
        if not fits(pieces[i]):
            out.extend(cut_clauses(pieces[i], fits))
            i += 1
            continue
        good, step = i + 1, 1  # pieces[i:good] fits
        while good < n:
            probe = min(n, good + step)
            if fits(" ".join(pieces[i:probe])):
                good, step = probe, step * 2
                continue
            bad = probe
            while bad - good > 1:
                mid = (good + bad) // 2
                if fits(" ".join(pieces[i:mid])):
                    good = mid
                else:
                    bad = mid
            break
        out.append(" ".join(pieces[i:good]))
        i = good
    return out
