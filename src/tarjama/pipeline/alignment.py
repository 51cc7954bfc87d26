"""Carrying a word alignment through what the pipeline does around the engine.

The engine aligns the words it saw with the words it wrote. Between the user's sentence
and the engine stand the clean-up and the stages' wrapping (a glossary term written in the
target language); between the engine and the segment's translation stand the rendering
and the stages' unwrapping. Each of these rewrites a few words and keeps the rest, so the
words are matched before and after with :class:`difflib.SequenceMatcher`: kept words map
one to one, a rewritten run maps proportionally onto its replacement.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from ..engines import Alignment

#: For each word of a text, the half-open range of words of another text it became.
WordMap = list[tuple[int, int] | None]


def word_map(before: str, after: str) -> WordMap:
    """Where each word of ``before`` went in ``after`` (None: it was dropped)."""
    a, b = before.split(), after.split()
    if a == b:
        return [(i, i + 1) for i in range(len(a))]
    out: WordMap = [None] * len(a)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                out[i1 + k] = (j1 + k, j1 + k + 1)
        elif tag == "replace":
            n, m = i2 - i1, j2 - j1
            for k in range(n):
                lo = j1 + k * m // n
                hi = j1 + max(-(-(k + 1) * m // n), k * m // n + 1)
                out[i1 + k] = (lo, min(hi, j2))
    return out


def carry(alignment: Alignment, source: WordMap, target: WordMap) -> Alignment:
    """``alignment`` re-expressed through a map of its source words and of its target words."""
    links: set[tuple[int, int]] = set()
    for s, t in alignment:
        if s >= len(source) or t >= len(target):
            continue
        srange, trange = source[s], target[t]
        if srange is None or trange is None:
            continue
        for s2 in range(*srange):
            for t2 in range(*trange):
                links.add((s2, t2))
    return tuple(sorted(links))


def offset(alignment: Alignment, source: int, target: int) -> Alignment:
    return tuple((s + source, t + target) for s, t in alignment)


def joined(parts: Sequence[tuple[str, str, Alignment | None]], source: str) -> Alignment | None:
    """The alignment of pieces (input, output, alignment) translated apart and joined back
    with spaces, over ``source``'s words; None when a piece has none or the words of the
    pieces are not those of ``source`` (a cut inside a word)."""
    links: list[tuple[int, int]] = []
    src = tgt = 0
    for piece_in, piece_out, alignment in parts:
        if alignment is None:
            return None
        links.extend(offset(alignment, src, tgt))
        src += len(piece_in.split())
        tgt += len(piece_out.split())
    if src != len(source.split()):
        return None
    return tuple(links)
